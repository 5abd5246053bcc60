/** The built-in processors, by queue name. */
import type { BuiltinQueue } from '../../../../main/cluster/worker-contract';
import type { BuiltinProcessor } from './context';
import { runEchoJob, runSleepJob } from './echo-sleep';
import { runHttpJob } from './http';
import { runShellJob } from './shell';

export const BUILTIN_PROCESSORS: Record<BuiltinQueue, BuiltinProcessor> = {
  shell: runShellJob,
  http: runHttpJob,
  echo: runEchoJob,
  sleep: runSleepJob,
};

export type { BuiltinProcessor, ProcessorContext } from './context';
