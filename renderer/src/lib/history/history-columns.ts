/**
 * The kept history (`metrics.range`) as chart columns: points further apart than a few steps get
 * a break (nobody recorded then), and the live points the console received (finer) are drawn
 * from where they start, so a chart shows the span asked for and goes on moving. Plain
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
 * The kept columns up to the first live point, then every live point (a break between them when
 * they are further apart than `gapMs`). Where both cover a span, the live points win: the
 * console receives them every second, the kept history has one every 5 s (or a minute). Both
 * share the series layout.
 */
export function withLiveTail(kept: Columns, live: Columns, gapMs: number): Columns {
  const [keptX, ...keptY] = kept;
  const [liveX, ...liveY] = live;
  if (liveX.length === 0) return kept;
  const firstLive = liveX[0]!;
  const upTo = keptX.findIndex((x) => x >= firstLive);
  const keep = upTo === -1 ? keptX.length : upTo;
  const xs = keptX.slice(0, keep);
  const ys = keptY.map((column) => column.slice(0, keep));
  const lastKept = xs.at(-1);
  if (lastKept !== undefined && firstLive - lastKept > gapMs / 1000) {
    xs.push(lastKept + 0.001);
    for (const column of ys) column.push(null);
  }
  xs.push(...liveX);
  ys.forEach((column, i) => column.push(...(liveY[i] ?? [])));
  return [xs, ...ys];
}
