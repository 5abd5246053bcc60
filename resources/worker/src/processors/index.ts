/** The built-in processors, by queue name. */
import type { BuiltinQueue } from '../../../../main/shared/worker-contract';
import type { BuiltinProcessor } from './context';
import { runEchoJob, runSleepJob } from './echo-sleep';
import { runHttpJob } from './http';
import { runShellJob } from './shell';

export interface BuiltinProcessorEntry {
  run: BuiltinProcessor;
  /**
   * Whether `run` uses its context (cancellation signal, job log). A processor that does not is
   * called with the job alone, which spares BullMQ an AbortController per job: for echo that is
   * a measurable share of the per-job cost (tests/bench/results/job-throughput.md).
   */
  usesContext: boolean;
}

export const BUILTIN_PROCESSORS: Record<BuiltinQueue, BuiltinProcessorEntry> = {
  shell: { run: runShellJob, usesContext: true },
  http: { run: runHttpJob, usesContext: true },
  echo: { run: runEchoJob, usesContext: false },
  sleep: { run: runSleepJob, usesContext: true },
};

export type { BuiltinProcessor, ProcessorContext } from './context';
