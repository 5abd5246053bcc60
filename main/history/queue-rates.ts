/**
 * Each queue's completed and failed jobs per second between two readings of BullMQ's metrics
 * counters (every job finished since the queue's metrics began, kept by the workers; read for
 * all queues in one round trip, queues/queue-metric-totals.ts). The first reading of a queue
 * gives no rate; a counter that went back (the queue was obliterated) starts over.
 */
import { readQueueMetricTotals } from '../queues/queue-metric-totals';
import type { QueuesService } from '../queues/queues-service';
import type { QueuePoint } from './history-frame';

interface Totals {
  at: number;
  completed: number;
  failed: number;
}

export class QueueRates {
  private previous = new Map<string, Totals>();

  /** Reads every known queue's counters and returns the rates since the last call. */
  async read(queues: QueuesService, now: number): Promise<QueuePoint[]> {
    const totals = await readQueueMetricTotals(queues.toolkit(), await queues.knownQueues());
    const readings = totals.map(({ queue, completed, failed }) => ({
      name: queue,
      totals: { at: now, completed, failed },
    }));
    const points: QueuePoint[] = [];
    const next = new Map<string, Totals>();
    for (const { name, totals } of readings) {
      next.set(name, totals);
      const before = this.previous.get(name);
      const seconds = before ? (totals.at - before.at) / 1000 : 0;
      if (!before || seconds <= 0) continue;
      const perSec = (now: number, then: number) => (now >= then ? (now - then) / seconds : 0);
      points.push({
        name,
        completedPerSec: perSec(totals.completed, before.completed),
        failedPerSec: perSec(totals.failed, before.failed),
      });
    }
    this.previous = next;
    return points;
  }

  /** Forgets the last readings (the cluster changed, or Redis was away). */
  reset(): void {
    this.previous.clear();
  }
}
