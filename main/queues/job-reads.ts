/** Reading jobs of one queue: pages by state, a bounded search by name, and one job's detail. */
import type { Job, Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { GuildhallError } from '../util/errors';
import {
  asBullmqTypes,
  DETAIL_LOG_LINES,
  toJobDetail,
  toJobState,
  toJobSummary,
} from './job-views';
import {
  jobStates,
  type JobDetail,
  type JobEntries,
  type JobEntry,
  type JobPage,
  type JobSearchResult,
  type JobStateName,
} from './queue-types';

/**
 * Searching by name examines at most this many jobs of the state, newest or oldest first per the
 * requested order: names are read with one pipelined HGET per job (no job data is loaded), so a
 * search stays fast on a big queue; `truncated` tells the caller when the state holds more.
 */
export const FIND_BY_NAME_SCAN_LIMIT = 10_000;

export interface PageRequest {
  state: JobStateName;
  start: number;
  count: number;
  order: 'asc' | 'desc';
}

function present(jobs: (Job | undefined | null)[]): Job[] {
  return jobs.filter((job): job is Job => job !== undefined && job !== null);
}

/**
 * One page of a state. Ordering is BullMQ's own index order for the state (insertion order for
 * waiting lists, score order — finish time, due time, priority — for sorted sets), so pages are
 * stable while the state does not change.
 */
export async function listJobPage(queue: Queue, request: PageRequest): Promise<JobPage> {
  const { state, start, count, order } = request;
  const [total, jobs] = await Promise.all([
    queue.getJobCountByTypes(...asBullmqTypes(state)),
    queue.getJobs(asBullmqTypes(state), start, start + count - 1, order === 'asc'),
  ]);
  return {
    queue: queue.name,
    state,
    order,
    start,
    total,
    jobs: present(jobs).map((job) => toJobSummary(job, queue.name, state)),
  };
}

/** When a job last did something: finished, else started, else was created. */
function lastActivity(job: Job): number {
  return job.finishedOn ?? job.processedOn ?? job.timestamp;
}

/**
 * Jobs with their return values: the newest `count` of one state, or with state `any` the
 * `count` most recently active jobs of every state (each state's newest, merged).
 */
export async function listJobEntries(
  queue: Queue,
  request: { state: JobStateName | 'any'; count: number },
): Promise<JobEntries> {
  const states = request.state === 'any' ? jobStates : [request.state];
  const [total, perState] = await Promise.all([
    queue.getJobCountByTypes(...asBullmqTypes(...states)),
    Promise.all(
      states.map(async (state) => {
        const jobs = await queue.getJobs(asBullmqTypes(state), 0, request.count - 1, false);
        return present(jobs).map((job) => ({ job, state }));
      }),
    ),
  ]);
  let found = perState.flat();
  if (request.state === 'any') {
    // A job that moved on between two reads shows once, in its later state.
    const seen = new Set<string>();
    found = found
      .sort((a, b) => lastActivity(b.job) - lastActivity(a.job))
      .filter(({ job }) => !seen.has(job.id ?? '') && seen.add(job.id ?? ''));
  }
  const jobs = found.slice(0, request.count).map(({ job, state }): JobEntry => ({
    ...toJobSummary(job, queue.name, state),
    returnvalue: job.returnvalue ?? null,
  }));
  return { queue: queue.name, state: request.state, total, jobs };
}

export async function findJobsByName(
  queue: Queue,
  redis: Redis,
  request: PageRequest & { name: string },
): Promise<JobSearchResult> {
  const { state, start, count, order, name } = request;
  const [stateTotal, ids] = await Promise.all([
    queue.getJobCountByTypes(...asBullmqTypes(state)),
    queue.getRanges(asBullmqTypes(state), 0, FIND_BY_NAME_SCAN_LIMIT - 1, order === 'asc'),
  ]);
  const scannedIds = ids.slice(0, FIND_BY_NAME_SCAN_LIMIT);
  const pipeline = redis.pipeline();
  for (const id of scannedIds) pipeline.hget(queue.toKey(id), 'name');
  const names = scannedIds.length > 0 ? ((await pipeline.exec()) ?? []) : [];
  const matches = scannedIds.filter((_, i) => {
    const [err, value] = names[i] ?? [null, null];
    return !err && value === name;
  });
  const pageIds = matches.slice(start, start + count);
  const jobs = present(await Promise.all(pageIds.map((id) => queue.getJob(id))));
  return {
    queue: queue.name,
    state,
    order,
    start,
    name,
    total: matches.length,
    scanned: scannedIds.length,
    truncated: stateTotal > FIND_BY_NAME_SCAN_LIMIT,
    jobs: jobs.map((job) => toJobSummary(job, queue.name, state)),
  };
}

export async function getJobOrThrow(queue: Queue, id: string): Promise<Job> {
  const job = await queue.getJob(id);
  if (!job) {
    throw new GuildhallError(
      'not-found',
      `Queue "${queue.name}" has no job with id "${id}".`,
      "It may have finished and been removed by the retention policy, or been removed; list the queue's jobs to find it.",
    );
  }
  return job;
}

export async function getJobDetail(queue: Queue, redis: Redis, id: string): Promise<JobDetail> {
  // State first, then the job: a job only moves forward, so the job read afterwards is at least
  // as far along as the state (never "completed" without its result).
  let rawState = await queue.getJobState(id);
  const [job, newestLogs] = await Promise.all([
    getJobOrThrow(queue, id),
    queue.getJobLogs(id, 0, DETAIL_LOG_LINES - 1, false),
  ]);
  if (job.finishedOn && rawState !== 'completed' && rawState !== 'failed')
    rawState = await job.getState();
  const state = toJobState(rawState);
  const logs = { logs: [...newestLogs.logs].reverse(), count: newestLogs.count };
  const detail = toJobDetail(job, queue.name, state, logs);
  if (state === 'delayed') {
    // The delayed set's score is (due time << 12) + a sequence number; it is exact even after
    // retries with backoff, where timestamp + delay is not.
    const score = await redis.zscore(queue.toKey('delayed'), id);
    if (score !== null) detail.dueAt = Math.floor(Number(score) / 0x1000);
  }
  return detail;
}
