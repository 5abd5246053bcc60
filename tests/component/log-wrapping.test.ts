/**
 * The log viewer's wrapped-line windowing: how many rows a line takes (wide characters and
 * tabs included), where each line starts, and which lines a scroll position shows.
 */
import { describe, expect, it } from 'vitest';
import {
  displayColumns,
  estimatedHeight,
  LineHeights,
  lineOffsets,
  ROW_HEIGHT,
  wrappedWindow,
} from '../../renderer/src/lib/logs/wrapped-lines';

describe('wrapped log lines', () => {
  it('count monospace cells: wide characters take two, tabs run to the next stop', () => {
    expect(displayColumns('hello')).toBe(5);
    expect(displayColumns('ジョブ失敗')).toBe(10);
    expect(displayColumns('a\tb')).toBe(9);
    expect(displayColumns('')).toBe(0);
  });

  it('take as many rows as their length needs, at least one', () => {
    expect(estimatedHeight(0, 80)).toBe(ROW_HEIGHT);
    expect(estimatedHeight(80, 80)).toBe(ROW_HEIGHT);
    expect(estimatedHeight(81, 80)).toBe(2 * ROW_HEIGHT);
    expect(estimatedHeight(400, 80)).toBe(5 * ROW_HEIGHT);
    expect(estimatedHeight(400, 0)).toBe(ROW_HEIGHT); // width not known yet
  });

  it('window the lines in view by their real heights', () => {
    // 1000 lines; every tenth wraps into three rows.
    const heights = Array.from({ length: 1000 }, (_, i) => (i % 10 === 0 ? 60 : 20));
    const offsets = lineOffsets(heights);
    expect(offsets[0]).toBe(0);
    expect(offsets[11]).toBe(60 + 9 * 20 + 60);
    const total = offsets[1000]!;
    expect(total).toBe(100 * 60 + 900 * 20);

    const top = wrappedWindow(offsets, 0, 100, 0);
    expect(top).toEqual({ start: 0, end: 3, offset: 0, totalHeight: total });
    // Scrolled to line 10's top: it and the lines under it, with overscan above and below.
    const middle = wrappedWindow(offsets, offsets[10]!, 100, 2);
    expect(middle.start).toBe(8);
    expect(middle.offset).toBe(offsets[8]);
    expect(middle.end).toBe(10 + 3 + 2);
    // Past the end: the last lines, never beyond.
    const bottom = wrappedWindow(offsets, 10 ** 9, 100, 0);
    expect(bottom.end).toBe(1000);
    expect(bottom.start).toBeLessThan(1000);
    expect(wrappedWindow(lineOffsets([]), 0, 100)).toEqual({
      start: 0,
      end: 0,
      offset: 0,
      totalHeight: 0,
    });
  });

  it('use what the browser measured once drawn, the estimate until then and after a resize', () => {
    const lines = [
      { seq: 1, text: 'x'.repeat(100) },
      { seq: 2, text: 'short' },
    ];
    const heights = new LineHeights();
    expect(heights.of(lines, 40)).toEqual([60, 20]);
    expect(heights.measured(1, 80)).toBe(true); // words broke differently than estimated
    expect(heights.measured(1, 80)).toBe(false);
    expect(heights.of(lines, 40)).toEqual([80, 20]);
    heights.forgetMeasured();
    expect(heights.of(lines, 100)).toEqual([20, 20]);
  });
});
