/**
 * The console's history columns: kept points become chart columns with a break where nobody
 * recorded, and the live points received since the last kept one are drawn after it (a break
 * between them when they are far apart) — so a chart never draws the same moment twice.
 */
import { describe, expect, it } from 'vitest';
import { columnsOf, gapFor, withLiveTail } from '../../renderer/src/lib/history/history-columns';

const points = [0, 5_000, 10_000, 60_000].map((at) => ({ at, v: at / 1000 }));

describe('history columns', () => {
  it('turns kept points into columns with a break where points are far apart', () => {
    const [xs, ys] = columnsOf(points, (p) => [p.v], 1, gapFor(5_000));
    expect(xs).toEqual([0, 5, 10, 10.001, 60]);
    expect(ys).toEqual([0, 5, 10, null, 60]);
  });

  it('keeps the kept points before the live ones, and the finer live points where both are', () => {
    const kept = columnsOf(points.slice(0, 3), (p) => [p.v], 1, gapFor(5_000));
    const live: [number[], (number | null)[]] = [
      [9, 10, 11, 12],
      [90, 100, 110, 120],
    ];
    expect(withLiveTail(kept, live, gapFor(5_000))).toEqual([
      [0, 5, 9, 10, 11, 12],
      [0, 5, 90, 100, 110, 120],
    ]);
    expect(withLiveTail(kept, [[], []], gapFor(5_000))).toEqual(kept);
  });

  it('breaks the line between the kept points and live ones far later, and keeps live alone', () => {
    const kept = columnsOf(points.slice(0, 1), (p) => [p.v], 1, gapFor(5_000));
    const live: [number[], (number | null)[]] = [[100], [7]];
    expect(withLiveTail(kept, live, gapFor(5_000))).toEqual([
      [0, 0.001, 100],
      [0, null, 7],
    ]);
    expect(withLiveTail([[]], live, gapFor(5_000))[0]).toEqual([100]);
  });
});
