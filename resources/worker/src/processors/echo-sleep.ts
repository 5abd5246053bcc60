/** The `echo` queue (returns its data) and the `sleep` queue (waits, then reports). */
import { setTimeout as delay } from 'node:timers/promises';
import { sleepJobSchema } from '../../../../main/shared/job-data-rules';
import { parseJobData } from '../job-data';
import type { BuiltinProcessor } from './context';

export const runEchoJob: BuiltinProcessor = async (job) => job.data;

export const runSleepJob: BuiltinProcessor = async (job, context) => {
  const { ms } = parseJobData(sleepJobSchema, job.data);
  try {
    await delay(ms, undefined, { signal: context.signal });
  } catch (err) {
    if (context.signal?.aborted) throw new Error('sleep was cancelled', { cause: err });
    throw err;
  }
  return { sleptMs: ms };
};
