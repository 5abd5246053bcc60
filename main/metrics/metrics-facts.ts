/**
 * What one scrape reads, each part on its own time bound (bounded.ts): the cluster as the
 * engine reports it, each worker container's CPU and memory (one-shot engine stats), and from
 * Redis the queues, BullMQ workers, Redis health, finished-job totals and recently completed
 * jobs for the duration histogram. A part that fails or runs late is left out and marked down,
 * so a scrape answers with what is known even when Redis or the engine is gone.
 */
import type { ClusterContainers } from '../cluster/containers';
import type { ClusterStatus } from '../cluster/status';
import { memoryUsedBytes, parseContainerStats } from '../monitor/container-stats';
import type { QueuesService } from '../queues/queues-service';
import type { JobSummary, QueuesOverview } from '../queues/queue-types';
import { SharedRead, within } from './bounded';

export interface MetricsSources {
  status: () => Promise<ClusterStatus>;
  containers: () => Promise<ClusterContainers>;
  queues: () => Promise<QueuesService>;
}

export interface WorkerUsage {
  cpuSeconds: number | null;
  memoryBytes: number | null;
}

export interface QueueTotals {
  completed: number;
  failed: number;
}

export interface MetricsFacts {
  status: ClusterStatus | null;
  usage: Map<string, WorkerUsage>;
  overview: QueuesOverview | null;
  totals: Map<string, QueueTotals>;
  /** Completed jobs per queue, newest first (at most COMPLETED_SCAN each). */
  completed: Map<string, JobSummary[]>;
}

/** How many of a queue's newest completed jobs each scrape looks at for durations. */
export const COMPLETED_SCAN = 1_000;

async function workerUsage(
  containers: ClusterContainers,
  status: ClusterStatus,
  signal: AbortSignal,
): Promise<Map<string, WorkerUsage>> {
  const usage = new Map<string, WorkerUsage>();
  await Promise.all(
    status.workers
      .filter((worker) => worker.state === 'running')
      .map(async (worker) => {
        const raw = await containers.statsOnce(worker.id, signal);
        const sample = parseContainerStats(raw);
        if (!sample) return;
        const ns = sample.cpu_stats?.cpu_usage.total_usage;
        usage.set(worker.name, {
          cpuSeconds: ns === undefined ? null : ns / 1e9,
          memoryBytes: memoryUsedBytes(sample),
        });
      }),
  );
  return usage;
}

async function queueDetails(
  queues: QueuesService,
  names: string[],
): Promise<{ totals: Map<string, QueueTotals>; completed: Map<string, JobSummary[]> }> {
  const totals = new Map<string, QueueTotals>();
  const completed = new Map<string, JobSummary[]>();
  await Promise.all(
    names.map(async (queue) => {
      const [metrics, page] = await Promise.all([
        queues.getMetrics({ queue, minutes: 1 }).catch(() => null),
        queues
          .listJobs({ queue, state: 'completed', start: 0, count: COMPLETED_SCAN, order: 'desc' })
          .catch(() => null),
      ]);
      if (metrics)
        totals.set(queue, { completed: metrics.completed.total, failed: metrics.failed.total });
      if (page) completed.set(queue, page.jobs);
    }),
  );
  return { totals, completed };
}

/** Reads everything a scrape needs, each part bounded by `deadline` (epoch ms). */
export class MetricsReader {
  private readonly engineRead: SharedRead<{
    status: ClusterStatus;
    usage: Map<string, WorkerUsage>;
  }>;
  private readonly redisRead: SharedRead<{
    overview: QueuesOverview;
    totals: Map<string, QueueTotals>;
    completed: Map<string, JobSummary[]>;
  }>;
  private controller = new AbortController();

  constructor(sources: MetricsSources) {
    this.engineRead = new SharedRead(async () => {
      const status = await sources.status();
      const containers = await sources.containers();
      const usage = await workerUsage(containers, status, this.controller.signal);
      return { status, usage };
    });
    this.redisRead = new SharedRead(async () => {
      const queues = await sources.queues();
      const overview = await queues.overview();
      const details = await queueDetails(
        queues,
        overview.queues.map((queue) => queue.name),
      );
      return { overview, ...details };
    });
  }

  async read(deadline: number): Promise<MetricsFacts & { engineUp: boolean; redisUp: boolean }> {
    const [engine, redis] = await Promise.all([
      within(this.engineRead.run(), deadline),
      within(this.redisRead.run(), deadline),
    ]);
    return {
      engineUp: engine.ok,
      redisUp: redis.ok,
      status: engine.ok ? engine.value.status : null,
      usage: engine.ok ? engine.value.usage : new Map(),
      overview: redis.ok ? redis.value.overview : null,
      totals: redis.ok ? redis.value.totals : new Map(),
      completed: redis.ok ? redis.value.completed : new Map(),
    };
  }

  close(): void {
    this.controller.abort();
    this.controller = new AbortController();
  }
}
