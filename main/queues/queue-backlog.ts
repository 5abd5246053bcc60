/**
 * A queue's backlog as autoscale counts it (issue 15): jobs a worker could take right now, i.e.
 * waiting (and prioritized) jobs plus delayed jobs whose time has come. Delayed jobs still in
 * the future and jobs of a paused queue are not work a new worker could do, so a paused queue
 * counts nothing. Read through the queues service's connection and Queue objects (one pass per
 * queue, all queues at once).
 */
import type { QueueToolkit } from './queue-toolkit';

export interface QueueBacklog {
  queue: string;
  waiting: number;
  /** Delayed jobs due now (BullMQ promotes them on its next poll). */
  dueDelayed: number;
  paused: boolean;
  /** What a worker could take now: 0 while paused. */
  backlog: number;
}

/**
 * BullMQ scores a delayed job `timestamp * 0x1000 + counter` (its getDelayedScore.lua): every
 * score below this one is due at `now`.
 */
export function dueDelayedMaxScore(now: number): number {
  return (Math.floor(now) + 1) * 0x1000 - 1;
}

export function readQueueBacklogs(
  toolkit: QueueToolkit,
  queues: readonly string[],
): Promise<QueueBacklog[]> {
  return toolkit.guard('read queue backlogs', () =>
    Promise.all(
      [...new Set(queues)].map(async (name): Promise<QueueBacklog> => {
        const queue = toolkit.queueObject(name);
        const [counts, paused, dueDelayed] = await Promise.all([
          queue.getJobCounts('wait', 'prioritized'),
          queue.isPaused(),
          toolkit.redis.zcount(queue.keys.delayed!, 0, dueDelayedMaxScore(toolkit.now())),
        ]);
        const waiting = (counts.wait ?? 0) + (counts.prioritized ?? 0);
        return {
          queue: name,
          waiting,
          dueDelayed,
          paused,
          backlog: paused ? 0 : waiting + dueDelayed,
        };
      }),
    ),
  );
}
