/**
 * The kept history a page shows, for the time range chosen: read from the server at once when
 * the page opens (so charts are full right after a reload), again when the range changes, and
 * every few steps while the page stays open. The chosen range is remembered for every page and
 * across reloads.
 */
import { HISTORY_RANGES, type HistoryRange } from '@shared/schemas/history';
import { api } from '../api/client';
import type { HistoryAnswer } from './history-columns';

const STORAGE_KEY = 'guildhall.historyRange';

function storedRange(): HistoryRange {
  const value = globalThis.localStorage?.getItem(STORAGE_KEY);
  return (HISTORY_RANGES as readonly string[]).includes(value ?? '')
    ? (value as HistoryRange)
    : '1h';
}

class RangeChoice {
  value = $state<HistoryRange>(storedRange());

  set(range: HistoryRange): void {
    this.value = range;
    globalThis.localStorage?.setItem(STORAGE_KEY, range);
  }
}

export const historyRange = new RangeChoice();

export interface HistoryScope {
  pool?: string;
  container?: string;
}

export class HistoryView {
  answer = $state.raw<HistoryAnswer | null>(null);
  failed = $state(false);
  private timer: ReturnType<typeof setTimeout> | null = null;
  /** Bumped on every read, so an older answer arriving late is dropped. */
  private generation = 0;

  constructor(private readonly scope: () => HistoryScope = () => ({})) {}

  get range(): HistoryRange {
    return historyRange.value;
  }

  /** Reads at once and then regularly; call the returned function when the page closes. */
  acquire(): () => void {
    void this.load();
    return () => {
      this.generation++;
      if (this.timer) clearTimeout(this.timer);
      this.timer = null;
    };
  }

  setRange(range: HistoryRange): void {
    historyRange.set(range);
    void this.load();
  }

  async load(): Promise<void> {
    const generation = ++this.generation;
    if (this.timer) clearTimeout(this.timer);
    const range = this.range;
    try {
      const answer = await api.metrics.range({ range, ...this.scope() });
      if (generation !== this.generation) return;
      this.answer = answer;
      this.failed = false;
    } catch {
      if (generation !== this.generation) return;
      this.failed = true;
    }
    // A new point every step: re-read after one (at most every 30 s for the minute tier).
    const step = this.answer?.stepMs ?? 5_000;
    this.timer = setTimeout(() => void this.load(), Math.min(step, 30_000));
  }
}
