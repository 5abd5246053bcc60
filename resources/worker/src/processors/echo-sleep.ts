/** The `echo` queue (returns its data) and the `sleep` queue (waits, then reports). */
import { setTimeout as delay } from 'node:timers/promises';
import { z } from 'zod';
import { parseJobData } from '../job-data';
import type { BuiltinProcessor } from './context';

export const SLEEP_MAX_MS = 3_600_000;

export const sleepJobSchema = z.strictObject(
  {
    ms: z
      .number({ error: `expected a number of milliseconds from 0 to ${SLEEP_MAX_MS}` })
      .min(0, { error: `expected a number of milliseconds from 0 to ${SLEEP_MAX_MS}` })
      .max(SLEEP_MAX_MS, { error: `expected a number of milliseconds from 0 to ${SLEEP_MAX_MS}` }),
  },
  { error: 'expected an object like { "ms": 1000 }' },
);

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
