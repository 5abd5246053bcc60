/** BullMQ Job objects turned into the plain, bounded views the API hands out. */
import type { Job, JobType } from 'bullmq';
import { attemptLimit } from '../shared/job-attempts';
import { jsonPreview, serialisedBytes } from './json-data';
import { jobStates, type JobDetail, type JobStateName, type JobSummary } from './queue-types';

/** Length of the data preview in list rows. */
export const DATA_PREVIEW_CHARS = 200;
/** Length of the failure reason in list rows. */
export const REASON_PREVIEW_CHARS = 200;
/** Log lines returned in a job detail (the newest ones). */
export const DETAIL_LOG_LINES = 1_000;

/**
 * Our state names as BullMQ job types. BullMQ 6's typings dropped 'paused' (since v5 a pause
 * only sets a flag and jobs stay in 'waiting'), but its scripts still read the legacy paused
 * list under that name, so counting and listing it works and shows any jobs left there.
 */
export function asBullmqTypes(...states: readonly JobStateName[]): JobType[] {
  return states as JobStateName[] as JobType[];
}

export function toJobState(state: string): JobStateName | 'unknown' {
  return (jobStates as readonly string[]).includes(state) ? (state as JobStateName) : 'unknown';
}

function progressOf(job: Job): JobSummary['progress'] {
  const progress: unknown = job.progress;
  if (typeof progress === 'number' || typeof progress === 'string' || typeof progress === 'boolean')
    return progress;
  if (progress && typeof progress === 'object') return progress as Record<string, unknown>;
  return 0;
}

function dataBytes(data: unknown): number {
  try {
    return serialisedBytes(data);
  } catch {
    return 0;
  }
}

function shortReason(reason: string | undefined): string | null {
  if (!reason) return null;
  const firstLine = reason.split('\n', 1)[0] ?? reason;
  return firstLine.length > REASON_PREVIEW_CHARS
    ? `${firstLine.slice(0, REASON_PREVIEW_CHARS - 1)}…`
    : firstLine;
}

export function toJobSummary(job: Job, queue: string, state: JobStateName | 'unknown'): JobSummary {
  return {
    id: job.id ?? '',
    queue,
    name: job.name,
    state,
    dataPreview: jsonPreview(job.data, DATA_PREVIEW_CHARS),
    dataBytes: dataBytes(job.data),
    attemptsMade: job.attemptsMade ?? 0,
    maxAttempts: attemptLimit(job.opts.attempts),
    priority: job.opts.priority ?? job.priority ?? 0,
    delay: job.delay ?? job.opts.delay ?? 0,
    progress: progressOf(job),
    timestamp: job.timestamp,
    processedOn: job.processedOn ?? null,
    finishedOn: job.finishedOn ?? null,
    failedReason: shortReason(job.failedReason),
  };
}

export function toJobDetail(
  job: Job,
  queue: string,
  state: JobStateName | 'unknown',
  logs: { logs: string[]; count: number },
): JobDetail {
  const summary = toJobSummary(job, queue, state);
  return {
    ...summary,
    data: job.data,
    opts: { ...job.opts } as Record<string, unknown>,
    returnvalue: job.returnvalue ?? null,
    failedReason: job.failedReason || null,
    stacktrace: job.stacktrace ?? [],
    logs: logs.logs,
    logCount: logs.count,
    dueAt: state === 'delayed' ? job.timestamp + summary.delay : null,
  };
}
