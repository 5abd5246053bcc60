/**
 * Watched Celery queues: which queues the custom pools ask to watch (`watch.celery`), and how
 * many tasks wait in each, read from the cluster's Redis. Celery's Redis transport (kombu) keeps
 * a queue as a Redis list named after it, plus one list per priority step, `NAME\x06\x16N`; the
 * waiting count is the sum of their lengths, read for every watched queue in one pipelined
 * round trip. Tasks a worker has already fetched are not waiting. Guildhall only reads these
 * lists: Celery owns its queues (no pause, clean or retry here).
 */
import type { Redis } from 'ioredis';
import { clusterPools, type ClusterSpec } from '../settings/cluster-spec';
import type { CeleryQueueView } from './queue-types';

/** What kombu puts between a queue's name and its priority step. */
export const CELERY_PRIORITY_SEPARATOR = '\x06\x16';
/** Priority steps kombu may give a list of its own (step 0 is the plain name). */
export const CELERY_PRIORITY_STEPS = [1, 2, 3, 4, 5, 6, 7, 8, 9] as const;

/** A Celery queue a pool watches. */
export interface WatchedCeleryQueue {
  name: string;
  pool: string;
}

/** The custom pools' watched Celery queues, in pool order (one entry per pool and queue). */
export function watchedCeleryQueues(spec: ClusterSpec): WatchedCeleryQueue[] {
  const seen = new Set<string>();
  const watched: WatchedCeleryQueue[] = [];
  for (const pool of clusterPools(spec)) {
    if (pool.kind !== 'custom') continue;
    for (const name of pool.spec.watch.celery) {
      const key = `${pool.name}\0${name}`;
      if (seen.has(key)) continue;
      seen.add(key);
      watched.push({ name, pool: pool.name });
    }
  }
  return watched;
}

/** The Redis lists that hold a Celery queue's waiting tasks. */
export function celeryQueueKeys(name: string): string[] {
  return [
    name,
    ...CELERY_PRIORITY_STEPS.map((step) => `${name}${CELERY_PRIORITY_SEPARATOR}${step}`),
  ];
}

/**
 * Waiting counts of the watched queues, in the order given, in one round trip (a queue watched
 * by two pools is read once). A key that is not a list (WRONGTYPE) is no Celery queue: it
 * counts 0. Any other error (connection, auth) is thrown.
 */
export async function readCeleryQueues(
  redis: Redis,
  watched: readonly WatchedCeleryQueue[],
): Promise<CeleryQueueView[]> {
  if (watched.length === 0) return [];
  const names = [...new Set(watched.map((queue) => queue.name))];
  const pipeline = redis.pipeline();
  for (const name of names) for (const key of celeryQueueKeys(name)) pipeline.llen(key);
  const replies = (await pipeline.exec()) ?? [];
  const waiting = new Map<string, number>();
  const perQueue = CELERY_PRIORITY_STEPS.length + 1;
  names.forEach((name, i) => {
    let total = 0;
    for (const [err, length] of replies.slice(i * perQueue, (i + 1) * perQueue)) {
      if (err && !/WRONGTYPE/.test(err.message)) throw err;
      if (!err) total += Number(length) || 0;
    }
    waiting.set(name, total);
  });
  return watched.map(({ name, pool }) => ({
    kind: 'celery',
    name,
    pool,
    waiting: waiting.get(name) ?? 0,
  }));
}
