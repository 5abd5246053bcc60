/**
 * Job controls on BullMQ's own features: cancelling a running job (BullMQ's Worker.cancelJob,
 * reached in the worker container through the cluster's cancel channel) and a queue's global
 * limits (Queue.setGlobalConcurrency / setGlobalRateLimit, which every worker of the queue obeys).
 *
 *   const controls = new JobControls(queues.toolkit());
 *   await controls.cancel({ queue: 'shell', id: '42' });
 *   await controls.setLimits({ queue: 'shell', concurrency: 1, rateLimit: null });
 */
import { setTimeout as delay } from 'node:timers/promises';
import type { Queue } from 'bullmq';
import { z } from 'zod';
import { MAX_GLOBAL_CONCURRENCY, MAX_RATE_DURATION_MS, MAX_RATE_JOBS } from '@shared/spec-limits';
import { CANCELLED_BY_USER, cancelChannel } from '../cluster/cancel-contract';
import { GuildhallError } from '../util/errors';
import { getJobOrThrow } from './job-reads';
import { jobRefInputSchema, parseInput, queueRefSchema } from './queue-inputs';
import type { QueueToolkit } from './queue-toolkit';

/** How long cancel waits for the worker to end the job before saying it did not. */
export const CANCEL_WAIT_MS = 5_000;
const POLL_MS = 100;

export interface CancelJobResult {
  queue: string;
  id: string;
  /** The job's state once it stopped: failed (or completed, if it finished meanwhile). */
  state: string;
  failedReason: string | null;
}

export interface QueueLimits {
  queue: string;
  /** Most jobs of this queue active at once across all workers; null when unlimited. */
  concurrency: number | null;
  /** At most `max` jobs started per `durationMs` across all workers; null when unlimited. */
  rateLimit: { max: number; durationMs: number } | null;
}

export { MAX_GLOBAL_CONCURRENCY, MAX_RATE_DURATION_MS };

export const rateLimitSchema = z.strictObject({
  max: z
    .number({ error: 'rateLimit.max must be a number' })
    .int({ error: 'rateLimit.max must be a whole number' })
    .min(1, { error: 'rateLimit.max must be at least 1' })
    .max(MAX_RATE_JOBS, { error: 'rateLimit.max must be at most 1,000,000' }),
  durationMs: z
    .number({ error: 'rateLimit.durationMs must be a number' })
    .int({ error: 'rateLimit.durationMs must be a whole number of milliseconds' })
    .min(1, { error: 'rateLimit.durationMs must be at least 1' })
    .max(MAX_RATE_DURATION_MS, { error: 'rateLimit.durationMs must be at most one day' }),
});

/** `undefined` leaves a limit as it is; `null` removes it. */
export const setLimitsInputSchema = z.strictObject({
  queue: queueRefSchema,
  concurrency: z
    .number({ error: 'concurrency must be a number' })
    .int({ error: 'concurrency must be a whole number' })
    .min(1, { error: 'concurrency must be at least 1 (use null for no limit)' })
    .max(MAX_GLOBAL_CONCURRENCY, { error: `concurrency must be at most ${MAX_GLOBAL_CONCURRENCY}` })
    .nullable()
    .optional(),
  rateLimit: rateLimitSchema.nullable().optional(),
});
export type SetLimitsInput = z.input<typeof setLimitsInputSchema>;

export class JobControls {
  constructor(private readonly kit: QueueToolkit) {}

  /**
   * Asks the worker running the job to abort it, then waits (up to CANCEL_WAIT_MS) until it has
   * left the active state. Only active jobs can be cancelled; others can be removed instead.
   */
  cancel(input: { queue: string; id: string }, waitMs = CANCEL_WAIT_MS): Promise<CancelJobResult> {
    return this.kit.guard(`cancel job "${String(input?.id)}"`, async () => {
      const ref = parseInput(jobRefInputSchema, input, 'job reference');
      const queue = await this.kit.existingQueue(ref.queue);
      const job = await getJobOrThrow(queue, ref.id);
      const state = await job.getState();
      if (state !== 'active') {
        throw new GuildhallError(
          'invalid-input',
          `Job "${ref.id}" in queue "${ref.queue}" is ${state}; only running (active) jobs can be cancelled.`,
          state === 'waiting' || state === 'delayed' || state === 'prioritized'
            ? 'Remove it instead: it has not started, so nothing needs stopping.'
            : 'Refresh the job list: the job may have finished since it was shown.',
        );
      }
      const request = { queue: ref.queue, id: ref.id, reason: CANCELLED_BY_USER };
      const listeners = await this.kit.redis.publish(
        cancelChannel(this.kit.cluster),
        JSON.stringify(request),
      );
      if (listeners === 0) {
        throw new GuildhallError(
          'cluster-not-running',
          `No worker of cluster "${this.kit.cluster}" is listening for cancel requests, so job "${ref.id}" keeps running.`,
          'Start the workers (guildhall up), which also rebuilds workers from before cancellation existed.',
        );
      }
      return this.waitUntilStopped(queue, ref.id, waitMs);
    });
  }

  /** The global limits of every known queue. */
  listLimits(): Promise<QueueLimits[]> {
    return this.kit.guard('read queue limits', async () => {
      const names = await this.kit.knownQueues();
      return Promise.all(names.map((name) => readLimits(this.kit.queueObject(name))));
    });
  }

  getLimits(queueName: string): Promise<QueueLimits> {
    return this.kit.guard(`read the limits of queue "${queueName}"`, async () =>
      readLimits(await this.kit.existingQueue(queueName)),
    );
  }

  setLimits(input: SetLimitsInput): Promise<QueueLimits> {
    return this.kit.guard(`set the limits of queue "${String(input?.queue)}"`, async () => {
      const request = parseInput(setLimitsInputSchema, input, 'limits');
      const queue = await this.kit.existingQueue(request.queue);
      if (request.concurrency === null) await queue.removeGlobalConcurrency();
      else if (request.concurrency !== undefined)
        await queue.setGlobalConcurrency(request.concurrency);
      if (request.rateLimit === null) await queue.removeGlobalRateLimit();
      else if (request.rateLimit !== undefined)
        await queue.setGlobalRateLimit(request.rateLimit.max, request.rateLimit.durationMs);
      return readLimits(queue);
    });
  }

  /**
   * Puts a queue's limits as the cluster spec states them (both at once; null = none), whether or
   * not the queue has had a job yet: `apply` sets the limits before the first job arrives.
   */
  putLimits(limits: QueueLimits): Promise<QueueLimits> {
    return this.kit.guard(`set the limits of queue "${limits.queue}"`, async () => {
      const queue = this.kit.queueObject(limits.queue);
      if (limits.concurrency === null) await queue.removeGlobalConcurrency();
      else await queue.setGlobalConcurrency(limits.concurrency);
      if (limits.rateLimit === null) await queue.removeGlobalRateLimit();
      else await queue.setGlobalRateLimit(limits.rateLimit.max, limits.rateLimit.durationMs);
      return readLimits(queue);
    });
  }

  private async waitUntilStopped(
    queue: Queue,
    id: string,
    waitMs: number,
  ): Promise<CancelJobResult> {
    const deadline = this.kit.now() + waitMs;
    for (;;) {
      const job = await queue.getJob(id);
      const state = job ? await job.getState() : 'unknown';
      if (state !== 'active') {
        return { queue: queue.name, id, state, failedReason: job?.failedReason ?? null };
      }
      if (this.kit.now() >= deadline) break;
      await delay(POLL_MS);
    }
    throw new GuildhallError(
      'timeout',
      `Job "${id}" in queue "${queue.name}" was asked to stop but is still running after ${waitMs / 1000} s.`,
      'Processor files must honour the AbortSignal BullMQ passes as their third argument ' +
        '(check signal.aborted or listen for its "abort" event); the job may still stop later.',
    );
  }
}

async function readLimits(queue: Queue): Promise<QueueLimits> {
  const [concurrency, rate] = await Promise.all([
    queue.getGlobalConcurrency(),
    queue.getGlobalRateLimit(),
  ]);
  return {
    queue: queue.name,
    concurrency,
    rateLimit: rate ? { max: rate.max, durationMs: rate.duration } : null,
  };
}
