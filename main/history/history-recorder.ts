/**
 * The recorder: a supervisor duty (main/supervisor/duty.ts describes the interface; the
 * supervisor wires it in through main/supervisor/history-duty.ts) that appends one frame to the
 * cluster's history every 5 s: the host's CPU and memory (a HostMonitor sampling at that
 * cadence), each running container's CPU and memory (one one-shot engine read each, no streams
 * held open: monitor/usage-sampler.ts) and each queue's rates from BullMQ's counters. It keeps
 * its engine connection, queues connection and store open between ticks and replaces them when
 * the cluster's name changes.
 */
import type { ClusterStatus } from '../cluster/status';
import type { Core } from '../core';
import { shortName } from '../cluster/naming';
import { HostMonitor } from '../monitor';
import type { HostSample } from '../monitor';
import { ContainerUsageSampler, type ContainerUsage } from '../monitor/usage-sampler';
import { CurrentQueues } from '../queues/current-queues';
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
  host: HostMonitor;
  usage: ContainerUsageSampler;
  store: HistoryStore;
}

export interface HistoryRecorderOptions {
  /** Time between frames (default 5 s: the fine tier's step). */
  intervalMs?: number;
  /** How often the host is sampled (default: intervalMs; its first sample comes after one). */
  hostIntervalMs?: number;
}

export class HistoryRecorder {
  readonly name = 'history';
  private readonly intervalMs: number;
  private readonly hostIntervalMs: number;
  private recording: Recording | null = null;
  private queues: CurrentQueues | null = null;
  private readonly rates = new QueueRates();
  private lastAt = -Infinity;

  constructor(options: HistoryRecorderOptions = {}) {
    this.intervalMs = options.intervalMs ?? FINE_TIER.stepMs;
    this.hostIntervalMs = options.hostIntervalMs ?? this.intervalMs;
  }

  /** Appends a frame when one is due (at its own cadence, whatever the supervisor's). */
  async tick(context: RecorderTick): Promise<void> {
    if (context.now - this.lastAt < this.intervalMs * 0.8) return;
    this.lastAt = context.now;
    const recording = await this.recordingFor(context);
    const running = [context.status.redis, ...context.status.workers].filter(
      (c) => c !== null && c.state === 'running',
    );
    const [usage, queues] = await Promise.all([
      recording.usage.sample(
        running.map((c) => ({ id: c!.id, key: shortName(c!.pool, c!.number) })),
        context.signal,
      ),
      this.readQueues(context),
    ]);
    const pools = new Map(running.map((c) => [shortName(c!.pool, c!.number), c!.pool]));
    const frame = frameOf(
      recording.host.latest()?.sample ?? null,
      usage,
      pools,
      queues,
      context.now,
    );
    // Nothing measured yet (a host monitor just started, no container running): no blank frame.
    if (frame.host || frame.containers.length > 0) await recording.store.append(frame);
  }

  async stop(): Promise<void> {
    this.recording?.host.stop();
    this.recording = null;
    await this.queues?.close();
    this.queues = null;
  }

  private async recordingFor(context: RecorderTick): Promise<Recording> {
    const cluster = context.status.cluster;
    if (this.recording?.cluster === cluster) return this.recording;
    await this.stop();
    this.rates.reset();
    const containers = await context.core.cluster.containers();
    const store = await HistoryStore.open(historyFolder(context.core.home, cluster));
    // Disk readings (a `df` per read) are not recorded: one an hour at most.
    const host = new HostMonitor({
      intervalMs: this.hostIntervalMs,
      diskIntervalMs: 3_600_000,
      historyLength: 1,
    });
    host.start();
    this.recording = { cluster, host, usage: new ContainerUsageSampler(containers), store };
    return this.recording;
  }

  /** The queues' rates, or none while Redis does not answer (the frame still has the rest). */
  private async readQueues(context: RecorderTick) {
    this.queues ??= new CurrentQueues(context.core);
    try {
      return await this.rates.read(await this.queues.get(), context.now);
    } catch {
      this.rates.reset();
      return [];
    }
  }
}

/** The frame of one tick: the host, the containers by short name with their pools, the queues. */
export function frameOf(
  host: HostSample | null,
  usage: readonly ContainerUsage[],
  pools: ReadonlyMap<string, string>,
  queues: HistoryFrame['queues'],
  at: number,
): HistoryFrame {
  return {
    at,
    host: host
      ? {
          cpuPercent: host.cpu.totalPercent,
          memoryUsedBytes: host.memory.usedBytes,
          memoryTotalBytes: host.memory.totalBytes,
        }
      : null,
    containers: usage.map((u) => ({
      name: u.key,
      pool: pools.get(u.key) ?? u.key,
      cpuPercent: u.cpuPercent,
      memoryBytes: u.memoryBytes,
    })),
    queues,
  };
}
