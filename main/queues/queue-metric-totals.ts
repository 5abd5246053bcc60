/**
 * Each queue's finished-job counters as BullMQ's metrics keep them: the `count` field of the
 * queue's `metrics:completed` and `metrics:failed` hashes (every job finished since the queue's
 * metrics began, kept by the workers). All queues in one pipelined round trip, for the history
 * recorder's 5 s ticks: Queue.getMetrics would run a script per queue and state and return the
 * per-minute data points too, which the recorder does not need.
 */
import type { QueueToolkit } from './queue-toolkit';

export interface QueueMetricTotals {
  queue: string;
  completed: number;
  failed: number;
}

const STATES = ['completed', 'failed'] as const;

export function readQueueMetricTotals(
  toolkit: QueueToolkit,
  queues: readonly string[],
): Promise<QueueMetricTotals[]> {
  return toolkit.guard('read queue metric counters', async () => {
    const names = [...new Set(queues)];
    if (names.length === 0) return [];
    const pipeline = toolkit.redis.pipeline();
    for (const name of names) {
      const queue = toolkit.queueObject(name);
      for (const state of STATES) pipeline.hget(queue.toKey(`metrics:${state}`), 'count');
    }
    const replies = (await pipeline.exec()) ?? [];
    const count = (index: number): number => {
      const [error, value] = replies[index] ?? [null, null];
      if (error) throw error;
      const parsed = Number.parseInt(typeof value === 'string' ? value : '0', 10);
      return Number.isFinite(parsed) ? parsed : 0;
    };
    return names.map((queue, i) => ({
      queue,
      completed: count(i * STATES.length),
      failed: count(i * STATES.length + 1),
    }));
  });
}
