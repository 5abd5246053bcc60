/**
 * One moment of a cluster's history as the store keeps it: the host's CPU and memory, each
 * container's CPU and memory (with its pool), and each queue's completed and failed jobs per
 * second. A frame is one JSON line on disk, in a compact positional form, with every name and
 * list capped so a line — and so the store (history-bounds.ts) — has a size known in advance.
 * Averaging frames (downsampling 5 s frames into a 1 min one) is here too: one rule, one place.
 */

export interface HostPoint {
  cpuPercent: number;
  memoryUsedBytes: number;
  memoryTotalBytes: number;
}

export interface ContainerPoint {
  /** The short name users see: `worker-2`, `tools-1`, `redis`. */
  name: string;
  pool: string;
  /** Percent of one core, as `docker stats` shows it; null while unknown. */
  cpuPercent: number | null;
  memoryBytes: number | null;
}

export interface QueuePoint {
  name: string;
  completedPerSec: number;
  failedPerSec: number;
}

export interface HistoryFrame {
  /** When it was sampled (epoch ms); for an averaged frame, the start of its span. */
  at: number;
  host: HostPoint | null;
  containers: ContainerPoint[];
  queues: QueuePoint[];
}

/** At most this many containers per frame (64 workers across pools, Redis, and room to spare). */
export const MAX_CONTAINERS_PER_FRAME = 80;
/** At most this many queues per frame (the busiest first is not known: the first ones by name). */
export const MAX_QUEUES_PER_FRAME = 100;
/** Names longer than this are cut (pool names are at most 24 by the spec, queue names 64 by QUEUE_NAME_PATTERN). */
export const MAX_NAME_CHARS = 64;

type EncodedContainer = [string, string, number | null, number | null];
type EncodedQueue = [string, number, number];
interface EncodedFrame {
  t: number;
  h: [number, number, number] | null;
  c: EncodedContainer[];
  q: EncodedQueue[];
}

const round1 = (value: number) => Math.round(value * 10) / 10;
const round2 = (value: number) => Math.round(value * 100) / 100;
const cut = (name: string) => name.slice(0, MAX_NAME_CHARS);
const finite = (value: number | null): number | null =>
  value !== null && Number.isFinite(value) ? value : null;
/**
 * Percent with one decimal, bytes whole, rates with two decimals (the charts need no more), each
 * clamped so its width is bounded (history-bounds.ts).
 */
const clamp = (value: number, max: number) => Math.min(max, Math.max(0, value));
const cpu = (value: number | null) => {
  const known = finite(value);
  return known === null ? null : round1(clamp(known, 99_999.9));
};
const bytes = (value: number | null) => {
  const known = finite(value);
  return known === null ? null : Math.round(clamp(known, Number.MAX_SAFE_INTEGER));
};
const rate = (value: number) => (Number.isFinite(value) ? round2(clamp(value, 999_999.99)) : 0);

/** The frame as one line of the store's files (newline included), names and lists capped. */
export function encodeFrame(frame: HistoryFrame): string {
  const encoded: EncodedFrame = {
    t: Math.round(frame.at),
    h: frame.host
      ? [
          cpu(frame.host.cpuPercent) ?? 0,
          bytes(frame.host.memoryUsedBytes) ?? 0,
          bytes(frame.host.memoryTotalBytes) ?? 0,
        ]
      : null,
    c: frame.containers
      .slice(0, MAX_CONTAINERS_PER_FRAME)
      .map((c) => [cut(c.name), cut(c.pool), cpu(c.cpuPercent), bytes(c.memoryBytes)]),
    q: frame.queues
      .slice(0, MAX_QUEUES_PER_FRAME)
      .map((q) => [cut(q.name), rate(q.completedPerSec), rate(q.failedPerSec)]),
  };
  return `${JSON.stringify(encoded)}\n`;
}

const isNumberOrNull = (value: unknown) => value === null || typeof value === 'number';

/** Reads one line back; null for anything else (a torn last line, a foreign file). */
export function decodeFrame(line: string): HistoryFrame | null {
  let raw: unknown;
  try {
    raw = JSON.parse(line);
  } catch {
    return null;
  }
  if (typeof raw !== 'object' || raw === null) return null;
  const { t, h, c, q } = raw as Partial<EncodedFrame>;
  if (typeof t !== 'number' || !Array.isArray(c) || !Array.isArray(q)) return null;
  const host =
    Array.isArray(h) && h.length === 3 && h.every((v) => typeof v === 'number')
      ? { cpuPercent: h[0], memoryUsedBytes: h[1], memoryTotalBytes: h[2] }
      : null;
  const containers = c.flatMap((entry): ContainerPoint[] =>
    Array.isArray(entry) &&
    typeof entry[0] === 'string' &&
    typeof entry[1] === 'string' &&
    isNumberOrNull(entry[2]) &&
    isNumberOrNull(entry[3])
      ? [{ name: entry[0], pool: entry[1], cpuPercent: entry[2], memoryBytes: entry[3] }]
      : [],
  );
  const queues = q.flatMap((entry): QueuePoint[] =>
    Array.isArray(entry) &&
    typeof entry[0] === 'string' &&
    typeof entry[1] === 'number' &&
    typeof entry[2] === 'number'
      ? [{ name: entry[0], completedPerSec: entry[1], failedPerSec: entry[2] }]
      : [],
  );
  return { at: t, host, containers, queues };
}

const mean = (values: readonly (number | null)[]): number | null => {
  const known = values.filter((v): v is number => v !== null);
  return known.length ? known.reduce((sum, v) => sum + v, 0) / known.length : null;
};

/**
 * One frame standing for several (a minute of 5 s frames), stamped `at`: each series is the mean
 * of the frames that have it (a container that came up mid-minute averages its own points), and
 * a queue's rate the mean over every frame (no point means nothing finished then).
 */
export function averageFrames(frames: readonly HistoryFrame[], at: number): HistoryFrame {
  const hosts = frames.flatMap((f) => (f.host ? [f.host] : []));
  const host = hosts.length
    ? {
        cpuPercent: mean(hosts.map((h) => h.cpuPercent)) ?? 0,
        memoryUsedBytes: mean(hosts.map((h) => h.memoryUsedBytes)) ?? 0,
        memoryTotalBytes: hosts.at(-1)!.memoryTotalBytes,
      }
    : null;
  const containers = new Map<string, ContainerPoint[]>();
  const queues = new Map<string, QueuePoint[]>();
  for (const frame of frames) {
    for (const c of frame.containers)
      containers.set(c.name, [...(containers.get(c.name) ?? []), c]);
    for (const q of frame.queues) queues.set(q.name, [...(queues.get(q.name) ?? []), q]);
  }
  const count = Math.max(1, frames.length);
  return {
    at,
    host,
    containers: [...containers.values()].map((points) => ({
      name: points[0]!.name,
      pool: points.at(-1)!.pool,
      cpuPercent: mean(points.map((p) => p.cpuPercent)),
      memoryBytes: mean(points.map((p) => p.memoryBytes)),
    })),
    queues: [...queues.values()].map((points) => ({
      name: points[0]!.name,
      completedPerSec: points.reduce((sum, p) => sum + p.completedPerSec, 0) / count,
      failedPerSec: points.reduce((sum, p) => sum + p.failedPerSec, 0) / count,
    })),
  };
}
