/**
 * A bounded time series for the live charts: one x column (time) and N value columns, at most
 * `capacity` points (the oldest drop off first). `columns()` gives uPlot's AlignedData: x in
 * seconds since the epoch, then one array per series (null = no value at that time).
 */
export type Columns = [number[], ...(number | null)[][]];

export class TimeSeriesBuffer {
  private readonly xs: number[] = [];
  private readonly ys: (number | null)[][];

  constructor(
    readonly capacity: number,
    readonly seriesCount: number,
  ) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError('capacity must be ≥ 1');
    this.ys = Array.from({ length: seriesCount }, () => []);
  }

  get length(): number {
    return this.xs.length;
  }

  /**
   * Adds one point per series at `atMs`. A point not later than the last one replaces it (ticks
   * can arrive twice for the same second), so x always increases — as uPlot needs.
   */
  push(atMs: number, values: readonly (number | null | undefined)[]): void {
    const x = atMs / 1000;
    const last = this.xs.at(-1);
    const replace = last !== undefined && x <= last;
    if (!replace) this.xs.push(x);
    const at = this.xs.length - 1;
    for (let i = 0; i < this.seriesCount; i++) {
      const raw = values[i];
      const value = typeof raw === 'number' && Number.isFinite(raw) ? raw : null;
      this.ys[i]![replace ? at : this.ys[i]!.length] = value;
    }
    if (this.xs.length > this.capacity) {
      const extra = this.xs.length - this.capacity;
      this.xs.splice(0, extra);
      for (const column of this.ys) column.splice(0, extra);
    }
  }

  /** The latest value of a series (null when none). */
  latest(series: number): number | null {
    return this.ys[series]?.at(-1) ?? null;
  }

  /** A snapshot in uPlot's column layout (new arrays: safe to hand to a chart). */
  columns(): Columns {
    return [this.xs.slice(), ...this.ys.map((column) => column.slice())];
  }

  clear(): void {
    this.xs.length = 0;
    for (const column of this.ys) column.length = 0;
  }
}

/**
 * Puts kept history (from the server, oldest first) before the points a buffer already has
 * (live ones, which may have come first): only buffered points newer than the history stay.
 * Points further apart than `gapMs` get a null point between them, so the chart shows the pause
 * as a break rather than a line across it.
 */
export function seedSeries(
  buffer: TimeSeriesBuffer,
  history: readonly { at: number; values: readonly (number | null)[] }[],
  gapMs: number,
): void {
  const [xs, ...ys] = buffer.columns();
  const lastKept = history.at(-1)?.at ?? -Infinity;
  const points = [...history];
  xs.forEach((x, i) => {
    const at = Math.round(x * 1000);
    if (at > lastKept) points.push({ at, values: ys.map((column) => column[i] ?? null) });
  });
  buffer.clear();
  const gap = Array.from({ length: buffer.seriesCount }, () => null);
  let previous: number | null = null;
  for (const point of points) {
    if (previous !== null && point.at - previous > gapMs) buffer.push(previous + 1, gap);
    buffer.push(point.at, point.values);
    previous = point.at;
  }
}

/** Picks some series of a snapshot (x always first), e.g. `pick(columns, 2)` → [x, series 2]. */
export function pickColumns(columns: Columns, ...series: number[]): Columns {
  return [columns[0], ...series.map((i) => columns[i + 1] ?? [])];
}
