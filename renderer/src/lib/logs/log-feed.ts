/**
 * Follows the output of several containers at once into one bounded buffer: one API log stream
 * per container, reopened after a pause when it breaks or ends (container restarted, console
 * server restarted) — never in a tight loop. Changes are reported at most once per frame.
 */
import { api, apiErrorOf, type ApiErrorData } from '../api/client';
import { toLogEntry, type LogEntry } from './log-entry';
import { RingBuffer } from '@shared/ring-buffer';

export type StreamStatus = 'connecting' | 'live' | 'retrying';

export interface LogFeedOptions {
  /** Lines kept at most (the oldest go first). */
  capacity?: number;
  /** Lines of history to fetch when a container is first followed. */
  tail?: number;
  onChange: () => void;
  onStatus?: (target: string, status: StreamStatus, error: ApiErrorData | null) => void;
}

export const LOG_CAPACITY = 5_000;

function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        resolve();
      },
      { once: true },
    );
  });
}

export class LogFeed {
  readonly buffer: RingBuffer<LogEntry>;
  private readonly streams = new Map<string, AbortController>();
  private seq = 0;
  private scheduled = false;

  constructor(private readonly options: LogFeedOptions) {
    this.buffer = new RingBuffer<LogEntry>(options.capacity ?? LOG_CAPACITY);
  }

  /** The containers followed now. */
  get targets(): string[] {
    return [...this.streams.keys()];
  }

  /** Follows exactly these containers: opens streams for new ones, closes the others. */
  follow(targets: readonly string[]): void {
    for (const [target, controller] of this.streams) {
      if (!targets.includes(target)) {
        controller.abort();
        this.streams.delete(target);
      }
    }
    for (const target of targets) {
      if (this.streams.has(target)) continue;
      const controller = new AbortController();
      this.streams.set(target, controller);
      void this.run(target, controller.signal);
    }
  }

  stop(): void {
    this.follow([]);
  }

  clear(): void {
    this.buffer.clear();
    this.changed();
  }

  private async run(target: string, signal: AbortSignal): Promise<void> {
    let first = true;
    let wait = 2_000;
    while (!signal.aborted) {
      this.options.onStatus?.(target, 'connecting', null);
      try {
        const lines = await api.logs.stream(
          { target, tail: first ? (this.options.tail ?? 200) : 0 },
          { signal },
        );
        first = false;
        wait = 2_000;
        this.options.onStatus?.(target, 'live', null);
        for await (const line of lines) {
          this.buffer.push(toLogEntry(line, this.seq++));
          this.changed();
        }
        if (signal.aborted) return;
        this.options.onStatus?.(target, 'retrying', null);
      } catch (err) {
        if (signal.aborted) return;
        this.options.onStatus?.(target, 'retrying', apiErrorOf(err));
      }
      await pause(wait, signal);
      wait = Math.min(wait * 2, 15_000);
    }
  }

  private changed(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    const flush = () => {
      this.scheduled = false;
      this.options.onChange();
    };
    if (typeof requestAnimationFrame === 'function') requestAnimationFrame(flush);
    else setTimeout(flush, 16);
  }
}
