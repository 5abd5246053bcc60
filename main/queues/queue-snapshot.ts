/** What a queue looks like right now: counts, pause flag, attached workers and throughput. */
import type { Queue } from 'bullmq';
import { asBullmqTypes } from './job-views';
import { throughputSeries } from './metrics-series';
import {
  jobStates,
  type JobCounts,
  type QueueMetrics,
  type QueueSummary,
  type WorkerView,
} from './queue-types';
import type { BullmqClientInfo } from './worker-views';

/** The per-queue facts read from Redis; workers are joined in afterwards (they span queues). */
export interface QueueFacts {
  name: string;
  counts: JobCounts;
  isPaused: boolean;
  clients: BullmqClientInfo[];
  metrics: QueueMetrics;
}

export async function readQueueMetrics(
  queue: Queue,
  now: number,
  minutes: number,
): Promise<QueueMetrics> {
  const [completed, failed] = await Promise.all([
    queue.getMetrics('completed', 0, minutes - 1),
    queue.getMetrics('failed', 0, minutes - 1),
  ]);
  return {
    queue: queue.name,
    completed: throughputSeries(completed, now, minutes),
    failed: throughputSeries(failed, now, minutes),
    collected: completed.meta.prevTS > 0 || failed.meta.prevTS > 0,
  };
}

export async function readJobCounts(queue: Queue): Promise<JobCounts> {
  const raw = await queue.getJobCounts(...asBullmqTypes(...jobStates));
  const counts = {} as JobCounts;
  for (const state of jobStates) counts[state] = raw[state] ?? 0;
  return counts;
}

/** BullMQ workers connected for this queue; a Redis that denies CLIENT LIST yields none. */
export async function readQueueClients(queue: Queue): Promise<BullmqClientInfo[]> {
  const clients = await queue.getWorkers();
  return clients.filter((client) => typeof client['rawname'] === 'string');
}

export async function readQueueFacts(queue: Queue, now: number): Promise<QueueFacts> {
  const [counts, isPaused, clients, metrics] = await Promise.all([
    readJobCounts(queue),
    queue.isPaused(),
    readQueueClients(queue),
    readQueueMetrics(queue, now, 2),
  ]);
  return { name: queue.name, counts, isPaused, clients, metrics };
}

export function toQueueSummary(
  facts: QueueFacts,
  workers: readonly WorkerView[],
  builtin: boolean,
): QueueSummary {
  const { completed, failed } = facts.metrics;
  return {
    name: facts.name,
    counts: facts.counts,
    isPaused: facts.isPaused,
    workers: workers.filter((worker) => worker.queues.includes(facts.name)),
    throughput: {
      completedThisMinute: completed.perMinute[0] ?? 0,
      completedLastMinute: completed.perMinute[1] ?? 0,
      failedThisMinute: failed.perMinute[0] ?? 0,
      failedLastMinute: failed.perMinute[1] ?? 0,
    },
    builtin,
  };
}
