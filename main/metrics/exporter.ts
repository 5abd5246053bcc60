/**
 * Guildhall's metrics in Prometheus' text format, through prom-client. Nothing is collected
 * between scrapes: each scrape reads the cluster within its time budget (metrics-facts.ts) and
 * sets the series from what it found; a part that could not be read is left out and
 * `guildhall_up{component}` says which. The job-duration histogram is cumulative: every
 * completed job is observed once, when a scrape first sees it.
 *
 *   const exporter = new MetricsExporter({ sources });
 *   const text = await exporter.scrape(); // "# HELP guildhall_queue_jobs …"
 */
import systeminformation from 'systeminformation';
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import { createCpuLoadReader } from '../monitor/cpu-load';
import type { JobSummary } from '../queues/queue-types';
import { within } from './bounded';
import { MetricsReader, type MetricsFacts, type MetricsSources } from './metrics-facts';

export interface MetricsExporterOptions {
  sources: MetricsSources;
  /** Longest a scrape waits for the cluster (default 3 s); Prometheus' own timeout can lower it. */
  budgetMs?: number;
  /** Host memory (default: systeminformation). */
  hostMemory?: () => Promise<{ total: number; available: number }>;
}

/** Job durations in seconds: from a tenth of a second to an hour. */
export const DURATION_BUCKETS = [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900, 3600];

/** Which completed jobs of a queue were already observed: the newest finish time and its ids. */
interface Watermark {
  finishedOn: number;
  ids: Set<string>;
}

export class MetricsExporter {
  readonly registry = new Registry();
  private readonly reader: MetricsReader;
  private readonly budgetMs: number;
  private readonly cpuLoad = createCpuLoadReader();
  private readonly hostMemory: () => Promise<{ total: number; available: number }>;
  private readonly watermarks = new Map<string, Watermark>();
  private readonly m;

  constructor(options: MetricsExporterOptions) {
    this.reader = new MetricsReader(options.sources);
    this.budgetMs = options.budgetMs ?? 3_000;
    this.hostMemory = options.hostMemory ?? (() => systeminformation.mem());
    const registers = [this.registry];
    const gauge = (name: string, help: string, labelNames: string[] = []) =>
      new Gauge({ name, help, labelNames, registers });
    const counter = (name: string, help: string, labelNames: string[] = []) =>
      new Counter({ name, help, labelNames, registers });
    this.m = {
      up: gauge('guildhall_up', 'Whether the last scrape could read this part (1) or not (0).', [
        'component',
      ]),
      scrapeSeconds: gauge('guildhall_scrape_duration_seconds', 'How long the last scrape took.'),
      queueJobs: gauge('guildhall_queue_jobs', 'Jobs in a queue by state.', ['queue', 'state']),
      queuePaused: gauge('guildhall_queue_paused', 'Whether the queue is paused (1) or not (0).', [
        'queue',
      ]),
      completed: counter(
        'guildhall_queue_completed_total',
        'Jobs completed since metrics were first recorded.',
        ['queue'],
      ),
      failed: counter(
        'guildhall_queue_failed_total',
        'Jobs failed since metrics were first recorded.',
        ['queue'],
      ),
      duration: new Histogram({
        name: 'guildhall_job_duration_seconds',
        help: 'Processing time of completed jobs (finishedOn − processedOn).',
        labelNames: ['queue'],
        buckets: DURATION_BUCKETS,
        registers,
      }),
      workersDesired: gauge('guildhall_workers_desired', 'Worker containers the settings ask for.'),
      workersRunning: gauge('guildhall_workers_running', 'Worker containers running.'),
      workerUp: gauge(
        'guildhall_worker_up',
        'Whether the worker container is running (1) or not (0).',
        ['worker'],
      ),
      workerBusy: gauge('guildhall_worker_busy_jobs', 'Jobs the worker is processing now.', [
        'worker',
      ]),
      workerConcurrency: gauge(
        'guildhall_worker_concurrency',
        'Jobs the worker can process at once.',
        ['worker'],
      ),
      workerRestarts: counter(
        'guildhall_worker_restarts_total',
        'Restarts of the worker container.',
        ['worker'],
      ),
      workerCpu: counter(
        'guildhall_worker_cpu_seconds_total',
        'CPU time used by the worker container.',
        ['worker'],
      ),
      workerMemory: gauge(
        'guildhall_worker_memory_bytes',
        'Memory used by the worker container (without page cache).',
        ['worker'],
      ),
      redisMemory: gauge('guildhall_redis_memory_used_bytes', 'Memory Redis uses.'),
      redisMaxMemory: gauge('guildhall_redis_memory_max_bytes', "Redis' memory limit (0: none)."),
      redisOps: gauge('guildhall_redis_ops_per_second', 'Commands Redis processes per second.'),
      redisClients: gauge('guildhall_redis_connected_clients', 'Clients connected to Redis.'),
      hostCpu: gauge(
        'guildhall_host_cpu_percent',
        'Host CPU use since the previous scrape, 0–100.',
      ),
      hostMemoryUsed: gauge(
        'guildhall_host_memory_used_bytes',
        'Host memory in use (total − available).',
      ),
      hostMemoryTotal: gauge('guildhall_host_memory_total_bytes', 'Host memory in total.'),
    };
    // The first CPU reading measures since boot; take it now so the first scrape is recent.
    void this.cpuLoad();
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  /** Reads the cluster (within `budgetMs`) and returns the metrics text. */
  async scrape(budgetMs: number = this.budgetMs): Promise<string> {
    const started = Date.now();
    const deadline = started + Math.min(budgetMs, this.budgetMs);
    const [facts, memory, cpu] = await Promise.all([
      this.reader.read(deadline),
      within(this.hostMemory(), deadline),
      this.cpuLoad(),
    ]);
    this.setCluster(facts);
    this.m.up.set({ component: 'engine' }, facts.engineUp ? 1 : 0);
    this.m.up.set({ component: 'redis' }, facts.redisUp ? 1 : 0);
    this.m.hostCpu.set(cpu.currentLoad);
    if (memory.ok) {
      this.m.hostMemoryUsed.set(memory.value.total - memory.value.available);
      this.m.hostMemoryTotal.set(memory.value.total);
    }
    this.m.scrapeSeconds.set((Date.now() - started) / 1000);
    return this.registry.metrics();
  }

  close(): void {
    this.reader.close();
  }

  private setCluster(facts: MetricsFacts): void {
    const m = this.m;
    for (const metric of [
      m.queueJobs,
      m.queuePaused,
      m.completed,
      m.failed,
      m.workerUp,
      m.workerBusy,
    ]) {
      metric.reset();
    }
    for (const metric of [m.workerConcurrency, m.workerRestarts, m.workerCpu, m.workerMemory]) {
      metric.reset();
    }
    for (const metric of [m.workersDesired, m.workersRunning, m.redisMemory, m.redisMaxMemory]) {
      metric.reset();
    }
    for (const metric of [m.redisOps, m.redisClients]) metric.reset();

    if (facts.status) {
      const { workers, desiredWorkers } = facts.status;
      m.workersDesired.set(desiredWorkers);
      m.workersRunning.set(workers.filter((w) => w.state === 'running').length);
      for (const worker of workers) {
        const labels = { worker: worker.name };
        m.workerUp.set(labels, worker.state === 'running' ? 1 : 0);
        m.workerRestarts.inc(labels, worker.restartCount);
        const usage = facts.usage.get(worker.name);
        if (usage?.cpuSeconds != null) m.workerCpu.inc(labels, usage.cpuSeconds);
        if (usage?.memoryBytes != null) m.workerMemory.set(labels, usage.memoryBytes);
      }
    }
    if (facts.overview) {
      const { queues, workers, redis } = facts.overview;
      for (const queue of queues) {
        for (const [state, count] of Object.entries(queue.counts)) {
          m.queueJobs.set({ queue: queue.name, state }, count);
        }
        m.queuePaused.set({ queue: queue.name }, queue.isPaused ? 1 : 0);
      }
      for (const worker of workers) {
        if (!worker.heartbeat) continue;
        m.workerBusy.set({ worker: worker.name }, worker.heartbeat.activeJobs.length);
        m.workerConcurrency.set({ worker: worker.name }, worker.heartbeat.concurrency);
      }
      m.redisMemory.set(redis.usedMemoryBytes);
      m.redisMaxMemory.set(redis.maxMemoryBytes);
      m.redisOps.set(redis.opsPerSec);
      m.redisClients.set(redis.connectedClients);
    }
    for (const [queue, totals] of facts.totals) {
      m.completed.inc({ queue }, totals.completed);
      m.failed.inc({ queue }, totals.failed);
    }
    for (const [queue, jobs] of facts.completed) this.observeDurations(queue, jobs);
  }

  /** Observes the completed jobs not seen by an earlier scrape (jobs come newest first). */
  private observeDurations(queue: string, jobs: JobSummary[]): void {
    const mark = this.watermarks.get(queue) ?? { finishedOn: -1, ids: new Set<string>() };
    let newest = mark;
    for (const job of jobs) {
      if (job.finishedOn === null || job.processedOn === null) continue;
      const seen =
        job.finishedOn < mark.finishedOn ||
        (job.finishedOn === mark.finishedOn && mark.ids.has(job.id));
      if (seen) continue;
      this.m.duration.observe({ queue }, Math.max(0, job.finishedOn - job.processedOn) / 1000);
      if (job.finishedOn > newest.finishedOn)
        newest = { finishedOn: job.finishedOn, ids: new Set([job.id]) };
      else if (job.finishedOn === newest.finishedOn) newest.ids.add(job.id);
    }
    if (newest !== mark || !this.watermarks.has(queue)) this.watermarks.set(queue, newest);
  }
}
