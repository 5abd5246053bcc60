/**
 * What the live metrics views are computed from, tick by tick: the bounded host series (CPU,
 * memory), the latest sample per container, and the crash-looping workers that the core's alert
 * monitor reports on the 'alerts' topic (the same alerts as desktop notifications; the console
 * runs no detector of its own). Plain TypeScript, no runes: the store copies snapshots out of it.
 */
import { activeAlertsSchema } from '@shared/schemas/events';
import { seedSeries, TimeSeriesBuffer } from '../charts/series';
import {
  hostPointOf,
  parseMetricsTick,
  type ContainerSample,
  type MetricsTick,
} from './metrics-tick';

/** Host points kept: five minutes at one per second. */
export const HOST_HISTORY_POINTS = 300;
/** Series of the host buffer. */
export const HOST_SERIES = { cpuPercent: 0, memoryUsedBytes: 1 } as const;
/** Points further apart than this (the monitor paused: nobody looked) are not joined by a line. */
export const HOST_GAP_MS = 5_000;

/** A host point of the monitor's kept history (`metrics.history`). */
export interface HostHistoryPoint {
  at: number;
  cpuPercent: number;
  memoryUsedBytes: number;
  memoryTotalBytes: number;
}

export interface CrashLoop {
  restarts: number;
  lastExitCode: number | null;
  oomKilled: boolean;
}

const clampPercent = (value: number) => Math.max(0, Math.min(100, value));

export class MetricsModel {
  readonly host = new TimeSeriesBuffer(HOST_HISTORY_POINTS, 2);
  memoryTotalBytes: number | null = null;
  containers = new Map<string, ContainerSample>();
  crashLoops = new Map<string, CrashLoop>();
  containersError: string | null = null;

  /**
   * Puts the monitor's kept history before what live ticks brought so far (either may come
   * first), so the charts show the last minutes as soon as a page opens. Pauses in between
   * stay visible as breaks in the line.
   */
  seedHost(history: readonly HostHistoryPoint[]): void {
    seedSeries(
      this.host,
      history.map((p) => ({ at: p.at, values: [clampPercent(p.cpuPercent), p.memoryUsedBytes] })),
      HOST_GAP_MS,
    );
    const latest = history.at(-1);
    if (latest && this.memoryTotalBytes === null) this.memoryTotalBytes = latest.memoryTotalBytes;
  }

  /** Takes one tick; false when it was not a metrics tick this console understands. */
  ingest(data: unknown): MetricsTick | null {
    const tick = parseMetricsTick(data);
    if (!tick) return null;
    const point = hostPointOf(tick);
    if (point) {
      this.host.push(point.at, [point.cpuPercent, point.memoryUsedBytes]);
      this.memoryTotalBytes = point.memoryTotalBytes;
    }
    this.containers = new Map(tick.containers.containers.map((c) => [c.name, c]));
    this.containersError = tick.containers.error ?? null;
    return tick;
  }

  /** Takes the core's active alerts (an 'alerts' event); false when it was not one. */
  ingestAlerts(data: unknown): boolean {
    const parsed = activeAlertsSchema.safeParse(data);
    if (!parsed.success) return false;
    this.crashLoops = new Map(
      parsed.data.active.flatMap((a) =>
        a.kind === 'worker-crash-loop'
          ? [
              [
                a.worker,
                { restarts: a.restarts, lastExitCode: a.lastExitCode, oomKilled: a.oomKilled },
              ] as const,
            ]
          : [],
      ),
    );
    return true;
  }
}
