/**
 * The kept history (`metrics.range`) as chart columns: points further apart than a few steps get
 * a break (nobody recorded then), and the live points the console received since the last kept
 * one are drawn after it, so a chart shows the span asked for and goes on moving. Plain
 * functions, no runes.
 */
import type { ApiOutputs } from '../api/client';
import { TimeSeriesBuffer, type Columns } from '../charts/series';

export type HistoryAnswer = ApiOutputs['metrics']['range'];

/** Points further apart than this many steps are not joined by a line. */
const GAP_STEPS = 2.5;

export function gapFor(stepMs: number): number {
  return stepMs * GAP_STEPS;
}

/** Columns of `points` (oldest first), one series per picked value, with breaks for gaps. */
export function columnsOf<T extends { at: number }>(
  points: readonly T[],
  pick: (point: T) => (number | null)[],
  seriesCount: number,
  gapMs: number,
): Columns {
  const buffer = new TimeSeriesBuffer(Math.max(1, points.length * 2), seriesCount);
  const gap = Array.from({ length: seriesCount }, () => null);
  let previous: number | null = null;
  for (const point of points) {
    if (previous !== null && point.at - previous > gapMs) buffer.push(previous + 1, gap);
    buffer.push(point.at, pick(point));
    previous = point.at;
  }
  return buffer.columns();
}

/**
 * The kept columns, then the live points newer than the last kept one (a break between them
 * when they are further apart than `gapMs`). Both share the series layout.
 */
export function withLiveTail(kept: Columns, live: Columns, gapMs: number): Columns {
  const [keptX, ...keptY] = kept;
  const [liveX, ...liveY] = live;
  const lastKept = keptX.at(-1) ?? -Infinity;
  const from = liveX.findIndex((x) => x > lastKept);
  if (from === -1) return kept;
  const xs = [...keptX];
  const ys = keptY.map((column) => [...column]);
  if (xs.length && liveX[from]! - lastKept > gapMs / 1000) {
    xs.push(lastKept + 0.001);
    for (const column of ys) column.push(null);
  }
  xs.push(...liveX.slice(from));
  ys.forEach((column, i) => column.push(...(liveY[i] ?? []).slice(from)));
  return [xs, ...ys];
}
