/**
 * The dashboard's jobs-per-second history, kept by the API so a page opened later draws it at
 * once: each `queues.overview` answer (the console reads one every 2 s while it shows workers)
 * is compared with the previous one. Readings closer together than `minSpacingMs` (two pages
 * polling at once) are skipped, so each point covers a steady span. Bounded: five minutes.
 */
import { RingBuffer } from '@shared/ring-buffer';
import { throughputBetween, workerCountsOf, type WorkerCounts } from '@shared/throughput';

export interface ThroughputPoint {
  at: number;
  completedPerSec: number;
  failedPerSec: number;
}

export interface ThroughputReading {
  at: number;
  workers: readonly { name: string; heartbeat: { processed: number; failed: number } | null }[];
}

export interface ThroughputHistoryOptions {
  /** Points kept (default 150: five minutes at one per 2 s). */
  capacity?: number;
  minSpacingMs?: number;
  /** Readings further apart start over instead of averaging across the pause (default 30 s). */
  maxSpacingMs?: number;
}

export class ThroughputHistory {
  private readonly points: RingBuffer<ThroughputPoint>;
  private readonly minSpacingMs: number;
  private readonly maxSpacingMs: number;
  private previous: { at: number; counts: WorkerCounts[] } | null = null;

  constructor(options: ThroughputHistoryOptions = {}) {
    this.points = new RingBuffer(options.capacity ?? 150);
    this.minSpacingMs = options.minSpacingMs ?? 1_500;
    this.maxSpacingMs = options.maxSpacingMs ?? 30_000;
  }

  /** Takes one workers reading; adds a point when there is an earlier one to compare with. */
  record(reading: ThroughputReading): void {
    const counts = workerCountsOf(reading.workers);
    const previous = this.previous;
    if (previous && reading.at - previous.at < this.minSpacingMs) return;
    this.previous = { at: reading.at, counts };
    if (!previous || reading.at - previous.at > this.maxSpacingMs) return;
    const rate = throughputBetween(previous.counts, counts, (reading.at - previous.at) / 1000);
    this.points.push({ at: reading.at, ...rate });
  }

  /** Kept points, oldest first; only those after `since` (epoch ms) when given. */
  read(since?: number): ThroughputPoint[] {
    const all = this.points.toArray();
    return since === undefined ? all : all.filter((point) => point.at > since);
  }
}
