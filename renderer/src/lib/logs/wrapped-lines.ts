/**
 * Windowing math for the log viewer, whose long lines wrap: each line is one or more 20 px rows.
 * A line's height is what the browser measured once it was drawn, or until then an estimate
 * from its length in a monospace font (wrapping anywhere, as a terminal does); offsets are the
 * running sum, and the window is found by binary search. Pure functions.
 */

export const ROW_HEIGHT = 20;
const TAB_STOP = 8;

/**
 * Character cells a line takes in a monospace font: East Asian wide and full-width characters
 * take two, tabs run to the next stop of eight.
 */
export function displayColumns(text: string): number {
  let columns = 0;
  for (const char of text) {
    if (char === '\t') columns += TAB_STOP - (columns % TAB_STOP);
    else columns += isWide(char.codePointAt(0)!) ? 2 : 1;
  }
  return columns;
}

function isWide(code: number): boolean {
  return (
    (code >= 0x1100 && code <= 0x115f) || // Hangul Jamo
    (code >= 0x2e80 && code <= 0xa4cf && code !== 0x303f) || // CJK … Yi
    (code >= 0xac00 && code <= 0xd7a3) || // Hangul syllables
    (code >= 0xf900 && code <= 0xfaff) || // CJK compatibility ideographs
    (code >= 0xfe30 && code <= 0xfe4f) || // CJK compatibility forms
    (code >= 0xff00 && code <= 0xff60) || // full-width forms
    (code >= 0xffe0 && code <= 0xffe6) ||
    (code >= 0x1f300 && code <= 0x1faff) || // emoji
    (code >= 0x20000 && code <= 0x3fffd) // CJK extensions
  );
}

/** Height of a line of `columns` cells where `perRow` cells fit in a row (always ≥ one row). */
export function estimatedHeight(columns: number, perRow: number): number {
  const rows = perRow > 0 ? Math.max(1, Math.ceil(columns / perRow)) : 1;
  return rows * ROW_HEIGHT;
}

/**
 * Each line's height: what the browser measured once it was drawn (valid for one width), or
 * else the estimate from its cells. Plain maps by line seq; the viewer re-reads on a version.
 */
export class LineHeights {
  private readonly measuredBySeq = new Map<number, number>();
  private readonly cellsBySeq = new Map<number, number>();

  /** Heights of `lines` in order, `perRow` cells fitting a row (0 while not known). */
  of(lines: readonly { seq: number; text: string }[], perRow: number): number[] {
    return lines.map((line) => {
      const height = this.measuredBySeq.get(line.seq);
      if (height !== undefined) return height;
      let cells = this.cellsBySeq.get(line.seq);
      if (cells === undefined) this.cellsBySeq.set(line.seq, (cells = displayColumns(line.text)));
      return estimatedHeight(cells, perRow);
    });
  }

  /** Records a drawn line's height; true when it changed. */
  measured(seq: number, height: number): boolean {
    if (!(height > 0) || this.measuredBySeq.get(seq) === height) return false;
    this.measuredBySeq.set(seq, height);
    return true;
  }

  /** The width changed: every line wraps anew. */
  forgetMeasured(): void {
    this.measuredBySeq.clear();
  }

  /** Drops what is kept for lines no longer shown (once they are many), bounding memory. */
  keepOnly(lines: readonly { seq: number }[]): void {
    if (this.cellsBySeq.size + this.measuredBySeq.size <= lines.length * 4 + 200) return;
    const keep = new Set(lines.map((line) => line.seq));
    for (const map of [this.cellsBySeq, this.measuredBySeq])
      for (const seq of map.keys()) if (!keep.has(seq)) map.delete(seq);
  }
}

/** Running offsets: `offsets[i]` is the top of line i, `offsets[n]` the whole height. */
export function lineOffsets(heights: readonly number[]): Float64Array {
  const offsets = new Float64Array(heights.length + 1);
  for (let i = 0; i < heights.length; i++) offsets[i + 1] = offsets[i]! + heights[i]!;
  return offsets;
}

/** The line that covers `y` (the last line when `y` is past the end). */
function lineAt(offsets: Float64Array, y: number): number {
  const count = offsets.length - 1;
  let low = 0;
  let high = count - 1;
  while (low < high) {
    const mid = (low + high + 1) >> 1;
    if (offsets[mid]! <= y) low = mid;
    else high = mid - 1;
  }
  return low;
}

export interface WrappedWindow {
  /** First line to render (inclusive). */
  start: number;
  /** Line after the last to render (exclusive). */
  end: number;
  /** translateY of the first rendered line. */
  offset: number;
  totalHeight: number;
}

/** Lines to render for a scroll position, with `overscan` extra lines above and below. */
export function wrappedWindow(
  offsets: Float64Array,
  scrollTop: number,
  viewportHeight: number,
  overscan = 20,
): WrappedWindow {
  const count = offsets.length - 1;
  const totalHeight = offsets[count] ?? 0;
  if (count <= 0) return { start: 0, end: 0, offset: 0, totalHeight: 0 };
  const view = Math.max(0, viewportHeight);
  const top = Math.min(Math.max(0, scrollTop), Math.max(0, totalHeight - view));
  const first = lineAt(offsets, top);
  const last = lineAt(offsets, Math.max(top, top + view - 1));
  const start = Math.max(0, first - overscan);
  const end = Math.min(count, last + 1 + overscan);
  return { start, end, offset: offsets[start]!, totalHeight };
}
