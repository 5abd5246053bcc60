/**
 * The recorder: a supervisor duty (main/supervisor/duty.ts describes the interface; the
 * supervisor wires it in through main/supervisor/history-duty.ts) that appends one frame to the
 * cluster's history every 5 s: host and container CPU and memory from a Monitor of its own (the
 * same monitor layer the console's live metrics use) and each queue's rates from BullMQ's
 * counters. It keeps its monitor, queues connection and store open between ticks, and replaces
 * them when the cluster's name changes.
 */
import type { Core } from '../core';
import { parseShortName, shortName } from '../cluster/naming';
import { Monitor } from '../monitor';
import type { MonitorTick } from '../monitor';
import { CurrentQueues } from '../queues/current-queues';
import { FINE_TIER } from './history-bounds';
import type { ContainerPoint, HistoryFrame } from './history-frame';
import { HistoryStore, historyFolder } from './history-store';
import { QueueRates } from './queue-rates';

/** What the recorder needs of a supervisor tick (a DutyContext has all of it). */
export interface RecorderTick {
  readonly core: Core;
  /** This tick's time, epoch ms: the frame's time. */
  readonly now: number;
}

interface Recording {
  cluster: string;
  monitor: Monitor;
  store: HistoryStore;
}

export interface HistoryRecorderOptions {
  /** Time between frames (default 5 s: the fine tier's step). */
  intervalMs?: number;
  /** How often its monitor samples the host (default: intervalMs; its first sample comes after one). */
  monitorIntervalMs?: number;
}

export class HistoryRecorder {
  readonly name = 'history';
  private readonly intervalMs: number;
  private readonly monitorIntervalMs: number;
  private recording: Recording | null = null;
  private queues: CurrentQueues | null = null;
  private readonly rates = new QueueRates();
  private lastAt = -Infinity;

  constructor(options: HistoryRecorderOptions = {}) {
    this.intervalMs = options.intervalMs ?? FINE_TIER.stepMs;
    this.monitorIntervalMs = options.monitorIntervalMs ?? this.intervalMs;
  }

  /** Appends a frame when one is due (at its own cadence, whatever the supervisor's). */
  async tick(context: RecorderTick): Promise<void> {
    if (context.now - this.lastAt < this.intervalMs * 0.8) return;
    this.lastAt = context.now;
    const recording = await this.recordingFor(context.core);
    const queues = await this.readQueues(context);
    const frame = frameOf(recording.cluster, recording.monitor.latest(), queues, context.now);
    // A monitor just started has measured nothing yet: no frame of blanks.
    if (frame.host || frame.containers.some((c) => c.memoryBytes !== null)) {
      await recording.store.append(frame);
    }
  }

  async stop(): Promise<void> {
    this.recording?.monitor.stop();
    this.recording = null;
    await this.queues?.close();
    this.queues = null;
  }

  private async recordingFor(core: Core): Promise<Recording> {
    const { spec } = await core.cluster.spec();
    if (this.recording?.cluster === spec.name) return this.recording;
    await this.stop();
    this.rates.reset();
    const containers = await core.cluster.containers();
    const monitor = new Monitor({ containers, intervalMs: this.monitorIntervalMs });
    const store = await HistoryStore.open(historyFolder(core.home, spec.name));
    await monitor.start();
    this.recording = { cluster: spec.name, monitor, store };
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

/** The frame of one tick: the cluster's containers by short name and pool. */
export function frameOf(
  cluster: string,
  tick: MonitorTick,
  queues: HistoryFrame['queues'],
  at: number,
): HistoryFrame {
  const sample = tick.host?.sample;
  const containers = tick.containers.containers.flatMap((c): ContainerPoint[] => {
    const parsed = c.name.startsWith(`${cluster}-`)
      ? parseShortName(c.name.slice(cluster.length + 1))
      : null;
    if (!parsed || c.state !== 'running') return [];
    return [
      {
        name: shortName(parsed.pool, parsed.number),
        pool: parsed.pool,
        cpuPercent: c.cpuPercent,
        memoryBytes: c.memoryBytes,
      },
    ];
  });
  return {
    at,
    host: sample
      ? {
          cpuPercent: sample.cpu.totalPercent,
          memoryUsedBytes: sample.memory.usedBytes,
          memoryTotalBytes: sample.memory.totalBytes,
        }
      : null,
    containers,
    queues,
  };
}
