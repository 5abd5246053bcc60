/**
 * Windowing math for virtualized lists with a fixed row height: which rows to render for a
 * scroll position, which pages of rows to fetch, and where to scroll to bring a row into view.
 * Pure functions, shared by the jobs list and the log viewer.
 */

export interface WindowRequest {
  scrollTop: number;
  viewportHeight: number;
  rowHeight: number;
  total: number;
  /** Extra rows rendered above and below the viewport so fast scrolls do not flash. */
  overscan?: number;
}

export interface VisibleWindow {
  /** First row to render (inclusive). */
  start: number;
  /** Row after the last to render (exclusive). */
  end: number;
  /** translateY of the first rendered row. */
  offset: number;
  /** Height of the whole (virtual) list. */
  totalHeight: number;
}

export function visibleWindow({
  scrollTop,
  viewportHeight,
  rowHeight,
  total,
  overscan = 6,
}: WindowRequest): VisibleWindow {
  const rows = Math.max(0, Math.floor(total));
  const height = Math.max(1, rowHeight);
  const totalHeight = rows * height;
  if (rows === 0) return { start: 0, end: 0, offset: 0, totalHeight: 0 };
  const maxTop = Math.max(0, totalHeight - Math.max(0, viewportHeight));
  const top = Math.min(Math.max(0, scrollTop), maxTop);
  const first = Math.min(rows - 1, Math.floor(top / height));
  const last = Math.min(rows, Math.ceil((top + Math.max(0, viewportHeight)) / height));
  const start = Math.max(0, first - overscan);
  const end = Math.min(rows, Math.max(last, first + 1) + overscan);
  return { start, end, offset: start * height, totalHeight };
}

/** Page numbers (0-based) that hold rows [start, end). */
export function pagesFor(start: number, end: number, pageSize: number): number[] {
  if (end <= start || pageSize <= 0) return [];
  const first = Math.floor(start / pageSize);
  const last = Math.floor((end - 1) / pageSize);
  const pages: number[] = [];
  for (let page = first; page <= last; page++) pages.push(page);
  return pages;
}

/**
 * The scrollTop that brings row `index` fully into view with the least movement, or null when
 * it is already fully visible.
 */
export function scrollToReveal(
  index: number,
  rowHeight: number,
  scrollTop: number,
  viewportHeight: number,
): number | null {
  const top = index * rowHeight;
  const bottom = top + rowHeight;
  if (top < scrollTop) return top;
  if (bottom > scrollTop + viewportHeight) return Math.max(0, bottom - viewportHeight);
  return null;
}

/** Keeps a row index inside [0, total - 1] (or 0 for an empty list). */
export function clampIndex(index: number, total: number): number {
  if (total <= 0) return 0;
  return Math.min(total - 1, Math.max(0, Math.floor(index)));
}
