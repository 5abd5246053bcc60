/**
 * Asks Redis on its published port whether it answers an authenticated PING.
 *
 * While a container starts, the engine's port proxy may already accept a connection that then
 * hangs until the client gives up (nothing behind it yet). One attempt at a time would lose that
 * whole timeout, so a new attempt starts every interval while earlier ones are still in flight, and
 * the first client that answers wins.
 *
 * ioredis is loaded on first use, not with the module: a command such as `up` reaches the engine
 * first and needs no Redis client until Redis has started (it calls loadRedisClient meanwhile).
 */
import type { Redis } from 'ioredis';
import { ioredisOptions, type RedisConnection } from './redis-connection';

/** Where Redis is and how to authenticate (redis-connection.ts decides it). */
export type RedisEndpoint = Omit<RedisConnection, 'external'>;

const ATTEMPT_TIMEOUT_MS = 1_000;
const ATTEMPT_EVERY_MS = 50;
const CHECK_EVERY_MS = 5;
/** Enough that hung attempts never hold up a new one: one per interval for a whole timeout. */
const MAX_IN_FLIGHT = ATTEMPT_TIMEOUT_MS / ATTEMPT_EVERY_MS;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

let redisModule: Promise<typeof import('ioredis')> | undefined;

/** Loads ioredis once (again after a failure); call it early to have it by the first attempt. */
export function loadRedisClient(): Promise<typeof import('ioredis')> {
  return (redisModule ??= import('ioredis').catch((err: unknown) => {
    redisModule = undefined;
    throw err;
  }));
}

async function client(endpoint: RedisEndpoint, timeoutMs: number): Promise<Redis> {
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
  return redis;
}

/** One attempt: a connected client that answered PING, or null. */
async function attempt(endpoint: RedisEndpoint, timeoutMs: number): Promise<Redis | null> {
  const redis = await client(endpoint, timeoutMs);
  const timer = setTimeout(() => redis.disconnect(), timeoutMs);
  try {
    await redis.connect();
    if ((await redis.ping()) === 'PONG') return redis;
  } catch {
    // refused, closed by the proxy, timed out, or a Redis that is still loading its data
  } finally {
    clearTimeout(timer);
  }
  redis.disconnect();
  return null;
}

/** True when Redis answers PING with the password within timeoutMs. */
export async function redisAnswers(endpoint: RedisEndpoint, timeoutMs = 500): Promise<boolean> {
  await loadRedisClient(); // a client that cannot load is an error, not "no answer"
  const redis = await attempt(endpoint, timeoutMs);
  redis?.disconnect();
  return redis !== null;
}

export interface AnsweringClientOptions {
  deadline: number;
  signal?: AbortSignal;
  /** Called between attempts; may throw to give up (e.g. when the container exited). */
  onWait?: () => Promise<void>;
}

/**
 * Resolves with a client that answered PING, overlapping attempts so a hung connection costs
 * nothing; null when the deadline passes or the signal aborts first.
 */
export async function answeringClient(
  endpoint: RedisEndpoint,
  options: AnsweringClientOptions,
): Promise<Redis | null> {
  await loadRedisClient(); // a client that cannot load is an error, not a timeout
  let winner: Redis | null = null;
  let gaveUp = false;
  let inFlight = 0;
  const launch = () => {
    inFlight++;
    void attempt(endpoint, ATTEMPT_TIMEOUT_MS).then((redis) => {
      inFlight--;
      if (!redis) return;
      // Only the first answer is kept; later ones, and any after giving up, are closed.
      if (winner === null && !gaveUp) winner = redis;
      else redis.disconnect();
    });
  };
  let lastLaunch = 0;
  try {
    while (winner === null && Date.now() < options.deadline && !options.signal?.aborted) {
      if (inFlight < MAX_IN_FLIGHT && Date.now() - lastLaunch >= ATTEMPT_EVERY_MS) {
        lastLaunch = Date.now();
        launch();
      }
      await sleep(CHECK_EVERY_MS);
      if (winner === null) await options.onWait?.();
    }
  } catch (err) {
    gaveUp = true;
    (winner as Redis | null)?.disconnect();
    throw err;
  }
  if (winner === null) gaveUp = true;
  return winner;
}

/** Whether each key exists in Redis (one connection, one EXISTS per key); null when unreadable. */
export async function presentHeartbeats(
  endpoint: RedisEndpoint,
  keys: string[],
  timeoutMs = 500,
): Promise<boolean[] | null> {
  await loadRedisClient();
  const redis = await attempt(endpoint, timeoutMs);
  if (!redis) return null;
  try {
    const pipeline = redis.pipeline();
    for (const key of keys) pipeline.exists(key);
    const results = (await pipeline.exec()) ?? [];
    if (results.some(([err]) => err)) return null;
    return results.map(([, count]) => count === 1);
  } catch {
    return null;
  } finally {
    redis.disconnect();
  }
}
