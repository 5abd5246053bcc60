/**
 * The recorder: a supervisor duty (main/supervisor/duty.ts describes the interface; the
 * supervisor wires it in through main/supervisor/history-duty.ts) that appends one frame to the
 * cluster's history every 5 s: the host's CPU (over the time since the last frame) and memory
 * (monitor/host-usage.ts), each running container's CPU and memory (one one-shot engine read
 * each, no streams held open: monitor/usage-sampler.ts) and each queue's rates from BullMQ's
 * counters. It keeps its engine connection, queues connection and store open between ticks and
 * replaces them when the cluster's name changes, or the queues connection when Redis fails.
 */
import type { ClusterStatus, ContainerStatus } from '../cluster/status';
import type { Core } from '../core';
import { shortName } from '../cluster/naming';
import { createHostUsageReader, type HostUsage } from '../monitor/host-usage';
import { ContainerUsageSampler, type ContainerUsage } from '../monitor/usage-sampler';
import { CurrentQueues } from '../queues/current-queues';
import type { QueuesService } from '../queues/queues-service';
import { FINE_TIER } from './history-bounds';
import type { HistoryFrame } from './history-frame';
import { HistoryStore, historyFolder } from './history-store';
import { QueueRates } from './queue-rates';

/** What the recorder needs of a supervisor tick (a DutyContext has all of it). */
export interface RecorderTick {
  readonly core: Core;
  /** The cluster's status read for this tick: which containers run. */
  readonly status: ClusterStatus;
  /** This tick's time, epoch ms: the frame's time. */
  readonly now: number;
  readonly signal?: AbortSignal;
}

interface Recording {
  cluster: string;
  host: () => Promise<HostUsage>;
  usage: ContainerUsageSampler;
  store: HistoryStore;
}

export interface HistoryRecorderOptions {
  /** Time between frames (default 5 s: the fine tier's step). */
  intervalMs?: number;
}

export class HistoryRecorder {
  readonly name = 'history';
  private readonly intervalMs: number;
  private recording: Recording | null = null;
  /** The cluster's queues, opened once and kept (CurrentQueues re-reads settings on each get). */
  private queues: { owner: CurrentQueues; service: QueuesService | null } | null = null;
  private readonly rates = new QueueRates();
  private lastAt = -Infinity;

  constructor(options: HistoryRecorderOptions = {}) {
    this.intervalMs = options.intervalMs ?? FINE_TIER.stepMs;
  }

  /** Appends a frame when one is due (at its own cadence, whatever the supervisor's). */
  async tick(context: RecorderTick): Promise<void> {
    if (context.now - this.lastAt < this.intervalMs * 0.8) return;
    this.lastAt = context.now;
    const recording = await this.recordingFor(context);
    const running = [context.status.redis, ...context.status.workers].filter(
      (c): c is ContainerStatus => c !== null && c.state === 'running',
    );
    const [host, usage, queues] = await Promise.all([
      recording.host().catch(() => null),
      recording.usage.sample(
        running.map((c) => ({ id: c.id, key: shortName(c.pool, c.number) })),
        context.signal,
      ),
      this.readQueues(context),
    ]);
    const pools = new Map(running.map((c) => [shortName(c.pool, c.number), c.pool]));
    await recording.store.append(frameOf(host, usage, pools, queues, context.now));
  }

  async stop(): Promise<void> {
    this.recording = null;
    await this.queues?.owner.close();
    this.queues = null;
  }

  private async recordingFor(context: RecorderTick): Promise<Recording> {
    const cluster = context.status.cluster;
    if (this.recording?.cluster === cluster) return this.recording;
    await this.stop();
    this.rates.reset();
    const containers = await context.core.cluster.containers();
    const store = await HistoryStore.open(historyFolder(context.core.home, cluster));
    const host = createHostUsageReader();
    await host(); // primes the CPU counters: the first frame's load covers one interval
    this.recording = { cluster, host, usage: new ContainerUsageSampler(containers), store };
    return this.recording;
  }

  /** The queues' rates, or none while Redis does not answer (the frame still has the rest). */
  private async readQueues(context: RecorderTick) {
    this.queues ??= { owner: new CurrentQueues(context.core), service: null };
    const queues = this.queues;
    try {
      queues.service ??= await queues.owner.get();
      return await this.rates.read(queues.service, context.now);
    } catch {
      // Redis away or moved (a new port): ask for the cluster's queues again next time.
      queues.service = null;
      this.rates.reset();
      return [];
    }
  }
}

/** The frame of one tick: the host, the containers by short name with their pools, the queues. */
export function frameOf(
  host: HostUsage | null,
  usage: readonly ContainerUsage[],
  pools: ReadonlyMap<string, string>,
  queues: HistoryFrame['queues'],
  at: number,
): HistoryFrame {
  return {
    at,
    host,
    containers: usage.map((u) => ({
      name: u.key,
      pool: pools.get(u.key) ?? u.key,
      cpuPercent: u.cpuPercent,
      memoryBytes: u.memoryBytes,
    })),
    queues,
  };
}
