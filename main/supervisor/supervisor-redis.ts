/**
 * The supervisor's connection to its cluster's Redis, where the lease, the event log and the
 * backoff records live, so every face (the app, the console, `guildhall supervise`, `guildhall
 * events`) reads the same facts. One client per cluster and password, made on first use and
 * made anew when the cluster's port or password changes; commands fail fast while Redis is
 * away (no offline queue), which the supervisor reads as "cannot supervise now".
 */
import type { Redis } from 'ioredis';
import type { Core } from '../core';
import {
  coreRedisConnection,
  ioredisOptions,
  type RedisConnection,
} from '../cluster/redis-connection';
import { loadRedisClient } from '../cluster/redis-probe';
import type { ClusterSpec } from '../settings/cluster-spec';

/** The keys of one cluster's supervisor. */
export const supervisorKeys = (cluster: string) => ({
  lease: `guildhall:${cluster}:supervisor:lease`,
  events: `guildhall:${cluster}:supervisor:events`,
  backoff: `guildhall:${cluster}:supervisor:backoff`,
});

export interface RedisTarget {
  cluster: string;
  /** The cluster's own Redis or its external one (redis-connection.ts, the one rule). */
  connection: RedisConnection;
}

/**
 * Where the configured cluster's Redis is (`spec` when the caller has it), or null when its own
 * Redis has no password yet (never made) or the external Redis's settings cannot be read.
 */
export async function redisTargetOf(core: Core, known?: ClusterSpec): Promise<RedisTarget | null> {
  const spec = known ?? (await core.cluster.spec()).spec;
  const connection = await coreRedisConnection(spec, core.secrets).catch(() => null);
  if (connection === null || (!connection.external && connection.password === undefined))
    return null;
  return { cluster: spec.name, connection };
}

/** Opens a client to `target` that fails fast when Redis does not answer. */
export async function openSupervisorRedis(
  target: RedisTarget,
  name: string,
  options: { lazy?: boolean } = {},
): Promise<Redis> {
  const { default: Redis } = await loadRedisClient();
  const redis = new Redis({
    ...ioredisOptions(target.connection),
    connectionName: `guildhall:${target.cluster}:${name}`,
    lazyConnect: options.lazy ?? false,
    connectTimeout: 2_000,
    commandTimeout: 2_000,
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
    retryStrategy: (times) => Math.min(times * 200, 2_000),
  });
  redis.on('error', () => {}); // a command's own failure reports it
  return redis;
}

/** One client kept for the current target; a new one when the target changes. */
export class SupervisorRedis {
  private client: Redis | null = null;
  private key = '';

  constructor(private readonly name: string) {}

  async get(target: RedisTarget): Promise<Redis> {
    const key = JSON.stringify(target);
    if (this.client && key === this.key) return this.client;
    this.close();
    this.key = key;
    this.client = await openSupervisorRedis(target, this.name);
    return this.client;
  }

  close(): void {
    this.client?.disconnect();
    this.client = null;
    this.key = '';
  }
}

/** Runs `read` on a short-lived client (one-shot readers: `status`, `events`, the API). */
export async function withSupervisorRedis<T>(
  target: RedisTarget,
  read: (redis: Redis) => Promise<T>,
): Promise<T> {
  const redis = await openSupervisorRedis(target, 'supervisor-reader', { lazy: true });
  try {
    await redis.connect();
    return await read(redis);
  } finally {
    redis.disconnect();
  }
}
