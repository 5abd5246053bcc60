/**
 * Follows what happens to jobs, for the console's live views: reads BullMQ's event streams
 * (`<prefix>:<queue>:events`, where BullMQ records every add, start, completion, failure,
 * removal…) of the known queues in one blocking XREAD on a connection of its own, and reports
 * which queues had events, at most every REPORT_GAP_MS. The views then read what changed, so a
 * job added or finished shows at once instead of at the next poll.
 *
 * Only "something happened in queue X" is needed, never the events themselves: each read takes
 * at most one entry per stream, the streams that had one are then moved to their end, and the
 * next read waits for the next report slot — a busy queue costs a few small reads a second.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { Redis } from 'ioredis';

export const REPORT_GAP_MS = 250;
const BLOCK_MS = 1_000;
const QUEUES_REFRESH_MS = 2_000;
const ERROR_PAUSE_MS = 1_000;
/** Consecutive failed reads after which the follower gives up (the caller may start anew). */
const MAX_FAILURES = 5;

export interface QueueActivitySource {
  knownQueues(): Promise<string[]>;
  /** A new connection, used only by the follower (XREAD BLOCK holds it), closed when it ends. */
  openConnection(): Redis;
  /** The key of a queue's event stream. */
  eventsKey(queue: string): string;
  /** True once the source is closed for good (its cluster was replaced): no point retrying. */
  isClosed(): boolean;
}

type XReadReply = [key: string, entries: [id: string, fields: string[]][]][] | null;

/** Waits, or less if `signal` aborts (never throws). */
async function pause(ms: number, signal: AbortSignal): Promise<void> {
  await sleep(ms, undefined, { signal }).catch(() => undefined);
}

/**
 * Reports queues with job activity through `onActivity` until `signal` aborts. Resolves then;
 * rejects when its source was closed, or after MAX_FAILURES reads in a row failed.
 */
export async function followQueueActivity(
  source: QueueActivitySource,
  onActivity: (queues: string[]) => void,
  signal: AbortSignal,
): Promise<void> {
  const redis = source.openConnection();
  redis.on('error', () => {}); // failures surface on the reads below
  const stop = () => redis.disconnect();
  signal.addEventListener('abort', stop, { once: true });

  /** Last entry id read per stream key; a stream is read from where it stood when first seen. */
  const positions = new Map<string, string>();
  const queueOf = new Map<string, string>();
  let queuesReadAt = 0;
  let firstPassDone = false;
  let failures = 0;
  const report = reporter(onActivity, signal);

  /** Moves streams to their last entry. */
  const toEnd = async (keys: string[]) => {
    const pipeline = redis.pipeline();
    for (const key of keys) pipeline.xrevrange(key, '+', '-', 'COUNT', 1);
    const replies = (await pipeline.exec()) ?? [];
    keys.forEach((key, i) => {
      const [err, entries] = replies[i] ?? [];
      if (err) throw err;
      positions.set(key, (entries as [string, string[]][])[0]?.[0] ?? '0-0');
    });
  };

  const followNew = async (queues: string[]) => {
    const fresh = queues.filter((queue) => !positions.has(source.eventsKey(queue)));
    for (const queue of fresh) queueOf.set(source.eventsKey(queue), queue);
    await toEnd(fresh.map((queue) => source.eventsKey(queue)));
    // A queue that appeared while following is a change in itself (its first jobs' events are
    // behind the position just taken).
    if (firstPassDone && fresh.length > 0) report.add(fresh);
    firstPassDone = true;
  };

  try {
    while (!signal.aborted) {
      try {
        if (Date.now() - queuesReadAt > QUEUES_REFRESH_MS) {
          await followNew(await source.knownQueues());
          queuesReadAt = Date.now();
        }
        if (positions.size === 0) {
          await pause(BLOCK_MS, signal);
          continue;
        }
        const keys = [...positions.keys()];
        const reply = (await redis.xread(
          'COUNT',
          1,
          'BLOCK',
          BLOCK_MS,
          'STREAMS',
          ...keys,
          ...keys.map((key) => positions.get(key) ?? '0-0'),
        )) as XReadReply;
        failures = 0;
        const activeKeys = (reply ?? [])
          .filter(([, entries]) => entries.length > 0)
          .map(([k]) => k);
        if (activeKeys.length === 0) continue;
        await toEnd(activeKeys);
        report.add(activeKeys.flatMap((key) => queueOf.get(key) ?? []));
        await pause(REPORT_GAP_MS, signal);
      } catch (err) {
        if (signal.aborted) break;
        failures++;
        if (source.isClosed() || failures >= MAX_FAILURES) throw err;
        queuesReadAt = 0;
        await pause(ERROR_PAUSE_MS, signal);
      }
    }
  } finally {
    signal.removeEventListener('abort', stop);
    report.cancel();
    redis.disconnect();
  }
}

/** Collects queue names and passes them on at most every REPORT_GAP_MS (the last batch too). */
function reporter(onActivity: (queues: string[]) => void, signal: AbortSignal) {
  const pending = new Set<string>();
  let lastAt = 0;
  let timer: NodeJS.Timeout | undefined;
  const flush = () => {
    timer = undefined;
    if (pending.size === 0 || signal.aborted) return;
    lastAt = Date.now();
    const queues = [...pending].sort();
    pending.clear();
    onActivity(queues);
  };
  return {
    add(queues: string[]) {
      if (signal.aborted) return;
      for (const queue of queues) pending.add(queue);
      if (timer) return;
      const wait = lastAt + REPORT_GAP_MS - Date.now();
      if (wait <= 0) flush();
      else timer = setTimeout(flush, wait);
    },
    cancel() {
      if (timer) clearTimeout(timer);
      timer = undefined;
    },
  };
}
