/**
 * How many of a worker container's restarts were planned reloads (a worker exiting to load
 * changed processor files): the worker records each one in Redis before it exits (reloadsKey in
 * the worker contract); the ones recorded after the container was created belong to it. The
 * engine's restart count minus these is the count of crashes.
 */
import type { Redis } from 'ioredis';
import { ioredisOptions } from './redis-connection';
import { loadRedisClient, type RedisEndpoint } from './redis-probe';
import { reloadsKey } from '@shared/worker-contract';

export interface ReloadQuery {
  /** Container name, which is also the worker's name. */
  name: string;
  /** When the container was created (epoch ms): earlier reloads were another container's. */
  createdAt: number;
}

/** Reload times (epoch ms, oldest first) per worker name, read with one round trip. */
export async function readReloadTimes(
  redis: Pick<Redis, 'pipeline'>,
  cluster: string,
  workers: readonly ReloadQuery[],
): Promise<Map<string, number[]>> {
  if (workers.length === 0) return new Map();
  const pipeline = redis.pipeline();
  for (const w of workers) pipeline.zrangebyscore(reloadsKey(cluster, w.name), w.createdAt, '+inf');
  const results = (await pipeline.exec()) ?? [];
  return new Map(
    workers.map((w, i) => {
      const [err, members] = results[i] ?? [null, []];
      const times = err ? [] : (members as string[]).map(Number).filter(Number.isFinite);
      return [w.name, times];
    }),
  );
}

/**
 * Reload times per worker from Redis at `endpoint`; an empty map when Redis does not answer
 * within timeoutMs (then every restart counts as a crash, as the engine reports it).
 */
export async function reloadTimesAt(
  endpoint: RedisEndpoint,
  cluster: string,
  workers: readonly ReloadQuery[],
  timeoutMs = 1_000,
): Promise<Map<string, number[]>> {
  if (workers.length === 0) return new Map();
  const { default: Redis } = await loadRedisClient();
  const redis = new Redis({
    ...ioredisOptions(endpoint),
    lazyConnect: true,
    connectTimeout: timeoutMs,
    commandTimeout: timeoutMs,
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
    enableReadyCheck: false,
    retryStrategy: () => null,
  });
  redis.on('error', () => {});
  try {
    await redis.connect();
    return await readReloadTimes(redis, cluster, workers);
  } catch {
    return new Map();
  } finally {
    redis.disconnect();
  }
}
