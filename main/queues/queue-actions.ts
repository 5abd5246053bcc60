/**
 * Acting on one queue and its jobs. Each action checks the job's state first, so a wrong-state
 * request gets a clear message instead of BullMQ's script error. Obliterate is deliberately not
 * offered: it deletes a queue with all its history, and `clean` + `drain` cover day-to-day needs.
 */
import type { Queue } from 'bullmq';
import { GuildhallError } from '../util/errors';
import { getJobOrThrow } from './job-reads';
import { asBullmqTypes } from './job-views';
import type {
  CleanableState,
  CleanResult,
  DrainResult,
  JobActionResult,
  PauseResult,
  RetryAllResult,
} from './queue-types';

/** Failed jobs moved back per script call when retrying all (BullMQ loops until none are left). */
const RETRY_BATCH = 1_000;

function wrongState(
  queue: Queue,
  id: string,
  state: string,
  wanted: string,
  verb: string,
): GuildhallError {
  return new GuildhallError(
    'invalid-input',
    `Job "${id}" in queue "${queue.name}" is ${state}; only ${wanted} jobs can be ${verb}.`,
    `Refresh the job list: the job may have moved on since it was shown.`,
  );
}

export async function retryJob(queue: Queue, id: string): Promise<JobActionResult> {
  const job = await getJobOrThrow(queue, id);
  const state = await job.getState();
  if (state !== 'failed') throw wrongState(queue, id, state, 'failed', 'retried');
  await job.retry('failed');
  return { queue: queue.name, id, action: 'retried' };
}

export async function retryAllFailed(queue: Queue): Promise<RetryAllResult> {
  const failed = await queue.getFailedCount();
  if (failed > 0) await queue.retryJobs({ state: 'failed', count: RETRY_BATCH });
  return { queue: queue.name, retried: failed };
}

export async function removeJob(queue: Queue, id: string): Promise<JobActionResult> {
  const job = await getJobOrThrow(queue, id);
  try {
    await job.remove();
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    if (/locked/i.test(message)) {
      throw new GuildhallError(
        'invalid-input',
        `Job "${id}" in queue "${queue.name}" is being processed by a worker and cannot be removed now.`,
        'Wait until it finishes (or fails), then remove it.',
      );
    }
    throw err;
  }
  return { queue: queue.name, id, action: 'removed' };
}

export async function promoteJob(queue: Queue, id: string): Promise<JobActionResult> {
  const job = await getJobOrThrow(queue, id);
  const state = await job.getState();
  if (state !== 'delayed') throw wrongState(queue, id, state, 'delayed', 'promoted');
  await job.promote();
  return { queue: queue.name, id, action: 'promoted' };
}

export async function pauseQueue(queue: Queue): Promise<PauseResult> {
  await queue.pause();
  return { queue: queue.name, isPaused: await queue.isPaused() };
}

export async function resumeQueue(queue: Queue): Promise<PauseResult> {
  await queue.resume();
  return { queue: queue.name, isPaused: await queue.isPaused() };
}

/** Removes up to `limit` jobs in `state` older than `graceMs` (by finish time, or creation time for unfinished states). */
export async function cleanQueue(
  queue: Queue,
  state: CleanableState,
  graceMs: number,
  limit: number,
): Promise<CleanResult> {
  const removedIds = await queue.clean(graceMs, limit, state);
  return { queue: queue.name, state, removed: removedIds.length, removedIds };
}

/** Removes every job waiting to run (and delayed ones when asked); active and finished jobs stay. */
export async function drainQueue(queue: Queue, includeDelayed: boolean): Promise<DrainResult> {
  const types = asBullmqTypes(
    'waiting',
    'prioritized',
    'paused',
    ...(includeDelayed ? (['delayed'] as const) : []),
  );
  const before = await queue.getJobCountByTypes(...types);
  await queue.drain(includeDelayed);
  const after = await queue.getJobCountByTypes(...types);
  return {
    queue: queue.name,
    includedDelayed: includeDelayed,
    removed: Math.max(0, before - after),
  };
}
