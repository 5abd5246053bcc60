/**
 * Log lines as the viewer keeps them. The engine's stream carries no timestamps, so the time is
 * read from the line itself where the program wrote one — the worker starts each line with an
 * ISO-8601 time, Redis with `pid:role 21 Nov 2026 03:14:15.123` — and is otherwise the moment
 * the line arrived. The level is read the same way (the worker's `info`/`warn`/`error` word,
 * Node's own warnings, Redis's `# WARNING …` lines), so a warning is not drawn as an error just
 * because it went to stderr.
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
  /** The level the line names, or null when it names none. */
  level: LogLevel | null;
}

export type LogLevel = 'info' | 'warn' | 'error';

/** The worker's level word (resources/worker/src/log.ts). */
const WORKER_LEVEL = /^(info|warn|error)\b/;
/** Node's own warnings, e.g. `(node:7) MaxListenersExceededWarning: …`. */
const NODE_WARNING = /^\(node:\d+\) (?:\[\w+\] )?\w*Warning: /;
/**
 * Redis marks its warning level with `#`, but also its ordinary start-up lines ("Server
 * initialized"); its real warnings say so: `# WARNING …`.
 */
const REDIS_WARNING = /^# WARNING\b/i;

/** The level a line (its timestamp already taken off) names, or null. */
export function levelOf(text: string, fromRedis: boolean): LogLevel | null {
  if (fromRedis) return REDIS_WARNING.test(text) ? 'warn' : null;
  const word = WORKER_LEVEL.exec(text);
  if (word) return word[1] as LogLevel;
  return NODE_WARNING.test(text) ? 'warn' : null;
}

/**
 * How a line is drawn: warnings in the warning colour, errors — and stderr lines that name no
 * level, such as a crash's stack trace — in the error colour, everything else plain.
 */
export function lineTone(entry: Pick<LogEntry, 'level' | 'stream'>): 'warn' | 'error' | null {
  if (entry.level === 'warn') return 'warn';
  if (entry.level === 'error') return 'error';
  return entry.level === null && entry.stream === 'stderr' ? 'error' : null;
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
  const text = split ? split.rest : line.line;
  return {
    seq,
    target: line.target,
    stream: line.stream,
    text,
    at: split ? split.at : receivedAt,
    stamped: split !== null,
    level: levelOf(text, line.target === 'redis' && split !== null),
  };
}

/** A line of the downloaded .log file: ISO time, container, stream, text. */
export function formatForFile(entry: LogEntry): string {
  return `${new Date(entry.at).toISOString()} ${entry.target} ${entry.stream} ${entry.text}`;
}
