/**
 * Follows what happens to jobs, for the console's live views: reads BullMQ's event streams
 * (`<prefix>:<queue>:events`, where BullMQ records every add, start, completion, failure,
 * removal…) of the known queues in one blocking XREAD on a connection of its own, and reports
 * which queues had events, at most every REPORT_GAP_MS. The views then read what changed, so a
 * job added or finished shows at once instead of at the next poll.
 */
import type { Redis } from 'ioredis';

export const REPORT_GAP_MS = 250;
const BLOCK_MS = 1_000;
const QUEUES_REFRESH_MS = 5_000;
const ERROR_PAUSE_MS = 1_000;
/** Consecutive failed reads after which the follower gives up (the caller may start anew). */
const MAX_FAILURES = 5;

export interface QueueActivitySource {
  knownQueues(): Promise<string[]>;
  /** A new connection, used only by the follower (XREAD BLOCK holds it), closed when it ends. */
  openConnection(): Redis;
  /** The key of a queue's event stream. */
  eventsKey(queue: string): string;
}

type XReadReply = [key: string, entries: [id: string, fields: string[]][]][] | null;

const pause = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => (clearTimeout(timer), resolve()), { once: true });
  });

/**
 * Reports queues with job activity through `onActivity` until `signal` aborts. Resolves then;
 * rejects after MAX_FAILURES reads in a row failed (Redis gone, cluster replaced).
 */
export async function followQueueActivity(
  source: QueueActivitySource,
  onActivity: (queues: string[]) => void,
  signal: AbortSignal,
): Promise<void> {
  const redis = source.openConnection();
  redis.on('error', () => {}); // failures surface on the read below
  const stop = () => redis.disconnect();
  signal.addEventListener('abort', stop, { once: true });

  /** Last entry id read per stream key; a stream is read from where it stood when first seen. */
  const positions = new Map<string, string>();
  const queueOf = new Map<string, string>();
  let queuesReadAt = 0;
  let failures = 0;
  const report = reporter(onActivity);

  const followNew = async (queues: string[]) => {
    const fresh = queues.map((queue) => source.eventsKey(queue)).filter((k) => !positions.has(k));
    const last = await Promise.all(fresh.map((key) => redis.xrevrange(key, '+', '-', 'COUNT', 1)));
    fresh.forEach((key, i) => positions.set(key, last[i]?.[0]?.[0] ?? '0-0'));
    queues.forEach((queue) => queueOf.set(source.eventsKey(queue), queue));
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
          1_000,
          'BLOCK',
          BLOCK_MS,
          'STREAMS',
          ...keys,
          ...keys.map((key) => positions.get(key) ?? '0-0'),
        )) as XReadReply;
        failures = 0;
        const active: string[] = [];
        for (const [key, entries] of reply ?? []) {
          const lastId = entries.at(-1)?.[0];
          if (lastId) positions.set(key, lastId);
          const queue = queueOf.get(key);
          if (queue && entries.length > 0) active.push(queue);
        }
        if (active.length > 0) report.add(active);
      } catch (err) {
        if (signal.aborted) break;
        failures++;
        if (failures >= MAX_FAILURES) throw err;
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
function reporter(onActivity: (queues: string[]) => void) {
  const pending = new Set<string>();
  let lastAt = 0;
  let timer: NodeJS.Timeout | undefined;
  const flush = () => {
    timer = undefined;
    if (pending.size === 0) return;
    lastAt = Date.now();
    const queues = [...pending].sort();
    pending.clear();
    onActivity(queues);
  };
  return {
    add(queues: string[]) {
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
