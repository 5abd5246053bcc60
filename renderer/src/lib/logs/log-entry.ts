/**
 * Log lines as the viewer keeps them. The engine's stream carries no timestamps, so the time is
 * read from the line itself where the program wrote one — the worker starts each line with an
 * ISO-8601 time, Redis with `pid:role 21 Nov 2026 03:14:15.123` — and is otherwise the moment
 * the line arrived.
 */
import type { ApiLogLine } from '../api/client';

export interface LogEntry {
  /** Unique, increasing: the order lines arrived in. */
  seq: number;
  target: string;
  stream: 'stdout' | 'stderr';
  /** The line without the timestamp it started with. */
  text: string;
  /** Epoch ms. */
  at: number;
  /** Whether `at` came from the line (true) or is the arrival time (false). */
  stamped: boolean;
}

const ISO_PREFIX = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:?\d{2}))\s?/;
const REDIS_PREFIX =
  /^\d+:[A-Z]\s+(\d{1,2}) (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) (\d{4}) (\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,3}))?\s?/;
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** The time a line starts with and the rest of it, or null when it starts with none. */
export function splitTimestamp(line: string): { at: number; rest: string } | null {
  const iso = ISO_PREFIX.exec(line);
  if (iso) {
    const at = Date.parse(iso[1]!);
    if (Number.isFinite(at)) return { at, rest: line.slice(iso[0].length) };
  }
  const redis = REDIS_PREFIX.exec(line);
  if (redis) {
    const [, day, month, year, hh, mm, ss, ms] = redis;
    // Redis in the container logs in UTC (the image sets no TZ).
    const at = Date.UTC(
      Number(year),
      MONTHS.indexOf(month!),
      Number(day),
      Number(hh),
      Number(mm),
      Number(ss),
      Number((ms ?? '0').padEnd(3, '0')),
    );
    if (Number.isFinite(at)) return { at, rest: line.slice(redis[0].length) };
  }
  return null;
}

export function toLogEntry(line: ApiLogLine, seq: number, receivedAt = Date.now()): LogEntry {
  const split = splitTimestamp(line.line);
  return {
    seq,
    target: line.target,
    stream: line.stream,
    text: split ? split.rest : line.line,
    at: split ? split.at : receivedAt,
    stamped: split !== null,
  };
}

/** A line of the downloaded .log file: ISO time, container, stream, text. */
export function formatForFile(entry: LogEntry): string {
  return `${new Date(entry.at).toISOString()} ${entry.target} ${entry.stream} ${entry.text}`;
}
