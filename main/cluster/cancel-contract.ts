/**
 * How the core asks a worker to cancel a running job: a message on a per-cluster Redis pub/sub
 * channel that every worker container listens to. The worker holding the job aborts it (BullMQ's
 * Worker.cancelJob: the processor's AbortSignal fires) and the job fails, without retries, with
 * the reason below. Both the core and the worker program import this file, so they cannot drift.
 */
import { z } from 'zod';

/** The reason a cancelled job fails with (its failedReason). */
export const CANCELLED_BY_USER = 'cancelled by user';

export function cancelChannel(cluster: string): string {
  return `guildhall:${cluster}:cancel`;
}

export const cancelRequestSchema = z.object({
  queue: z.string().min(1),
  id: z.string().min(1),
  reason: z.string().min(1).max(500),
});
export type CancelRequest = z.infer<typeof cancelRequestSchema>;
