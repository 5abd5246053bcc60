/** Adding a job: already-validated input turned into BullMQ job options. */
import type { JobsOptions, Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { ParsedAddJobInput } from './queue-inputs';
import type { AddJobResult } from './queue-types';

export function toJobsOptions(options: ParsedAddJobInput['options']): JobsOptions {
  const opts: JobsOptions = {
    attempts: options.attempts,
    delay: options.delay,
    priority: options.priority,
    removeOnComplete: options.removeOnComplete,
    removeOnFail: options.removeOnFail,
  };
  if (options.backoff) opts.backoff = { type: options.backoff.type, delay: options.backoff.delay };
  if (options.jobId !== undefined) opts.jobId = options.jobId;
  return opts;
}

/**
 * Adds the job. A job with the same custom jobId that already exists is left as it is (BullMQ
 * deduplicates by id) and reported with `created: false`. A queue that did not exist before
 * also gets BullMQ's meta hash, so other tools discover it too.
 */
export async function addJobToQueue(
  queue: Queue,
  redis: Redis,
  input: ParsedAddJobInput,
  newQueue: boolean,
): Promise<AddJobResult> {
  const { jobId } = input.options;
  if (jobId !== undefined && (await redis.exists(queue.toKey(jobId))) === 1) {
    return { queue: queue.name, id: jobId, name: input.name, created: false, newQueue: false };
  }
  const job = await queue.add(input.name, input.data, toJobsOptions(input.options));
  if (newQueue || (await redis.hexists(queue.toKey('meta'), 'version')) === 0) {
    await queue.getBackend().setQueueMeta(queue.metaValues);
  }
  return {
    queue: queue.name,
    id: job.id ?? jobId ?? '',
    name: input.name,
    created: true,
    newQueue,
  };
}
