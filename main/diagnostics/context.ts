/**
 * What checks look at, gathered once per run and shared: settings, the spec, the engine
 * connection (or why there is none), the cluster status, the stored password and one Redis
 * connection. Every fact is fetched lazily the first time a check asks, so checks running in
 * parallel never repeat an engine round trip. Nothing here changes anything.
 */
import { isRedisAuthError } from '@shared/redis-auth';
import { Redis } from 'ioredis';
import type { ClusterContainers, EngineFacts } from '../cluster/containers';
import type { ClusterStatus } from '../cluster/status';
import { externalRedisError } from '../cluster/external-redis';
import { ioredisOptions, type RedisConnection } from '../cluster/redis-connection';
import type { ClusterSpec } from '../settings/cluster-spec';
import type { Core } from '../core';
import type { EngineSummary } from '../engine/connect';
import type { ImageStore } from '../images/image-store';
import { redisPasswordKey } from '../settings/secret-store';
import type { Settings } from '../settings/settings-schema';
import { toGuildhallError, type GuildhallError } from '../util/errors';

export type EngineState =
  | { ok: true; connection: EngineSummary; containers: ClusterContainers }
  | { ok: false; error: GuildhallError };

export type RedisProblem =
  'no-engine' | 'no-container' | 'not-running' | 'no-password' | 'unreachable' | 'auth';

export type RedisState =
  | { ok: true; client: Redis; port: number; info: string }
  | { ok: false; problem: RedisProblem; message: string };

export interface DiagnosticsContextOptions {
  /** The environment the core runs with (DOCKER_HOST, image overrides); default process.env. */
  env?: NodeJS.ProcessEnv;
  /** Time limit for one Redis command. */
  redisTimeoutMs?: number;
}

function once<T>(load: () => Promise<T>): () => Promise<T> {
  let cached: Promise<T> | undefined;
  return () => (cached ??= load());
}

export class DiagnosticsContext {
  readonly env: NodeJS.ProcessEnv;
  private readonly redisTimeoutMs: number;
  private client: Redis | null = null;

  constructor(
    readonly core: Core,
    options: DiagnosticsContextOptions = {},
  ) {
    this.env = options.env ?? process.env;
    this.redisTimeoutMs = options.redisTimeoutMs ?? 3_000;
  }

  readonly settings = once(
    async (): Promise<Settings> => (await this.core.settings.load()).settings,
  );

  /** The spec as the core uses it (environment overrides applied). */
  readonly spec = once(async (): Promise<ClusterSpec> => (await this.core.cluster.spec()).spec);

  readonly engine = once(async (): Promise<EngineState> => {
    try {
      const containers = await this.core.cluster.containers();
      const connection = containers.engine ?? (await this.core.engine());
      return { ok: true, connection, containers };
    } catch (err) {
      return { ok: false, error: toGuildhallError(err, 'engine-unreachable') };
    }
  });

  /** The cluster's containers, or null when the engine cannot be reached. */
  async containers(): Promise<ClusterContainers | null> {
    const engine = await this.engine();
    return engine.ok ? engine.containers : null;
  }

  /** The engine's images, or null when the engine cannot be reached. */
  readonly images = once(async (): Promise<ImageStore | null> =>
    (await this.engine()).ok ? this.core.images() : null,
  );

  /** The engine's `info` (data root, memory, CPUs), or null. */
  readonly engineInfo = once(
    async (): Promise<EngineFacts | null> => (await this.containers())?.engineFacts() ?? null,
  );

  /** The cluster as the engine has it, or null when the engine cannot be reached. */
  readonly status = once(async (): Promise<ClusterStatus | null> => {
    const containers = await this.containers();
    if (!containers) return null;
    const connection = await this.redisConnection();
    return containers.status(await this.spec(), connection.ok ? connection.connection : null);
  });

  /** How the core connects to Redis (the cluster's own or the external one), or why it cannot. */
  readonly redisConnection = once(
    async (): Promise<
      { ok: true; connection: RedisConnection } | { ok: false; error: GuildhallError }
    > => {
      try {
        return { ok: true, connection: await this.core.cluster.redisConnection() };
      } catch (err) {
        return { ok: false, error: toGuildhallError(err, 'settings-invalid') };
      }
    },
  );

  /**
   * True when the cluster has containers (it was started and not taken down); null when the
   * engine cannot say. Checks of a running cluster apply only then.
   */
  async clusterExists(): Promise<boolean | null> {
    const status = await this.status();
    return status === null ? null : status.state !== 'absent';
  }

  /** The stored Redis password, or null; never generates one. */
  readonly password = once(async (): Promise<string | null> => {
    const spec = await this.spec();
    return this.core.secrets.get(redisPasswordKey(spec.name));
  });

  /** One Redis connection with the stored password, with INFO read; or why there is none. */
  readonly redis = once(async (): Promise<RedisState> => {
    if ((await this.spec()).redis.external) return this.externalRedis();
    const status = await this.status();
    if (!status)
      return { ok: false, problem: 'no-engine', message: 'The engine could not be reached.' };
    const redis = status.redis;
    if (!redis)
      return { ok: false, problem: 'no-container', message: 'There is no Redis container.' };
    if (redis.state !== 'running' || redis.port === null) {
      return {
        ok: false,
        problem: 'not-running',
        message: `The Redis container ${redis.name} is ${redis.state}.`,
      };
    }
    const password = await this.password();
    if (!password) {
      return {
        ok: false,
        problem: 'no-password',
        message: 'No Redis password is stored for this cluster.',
      };
    }
    const client = this.openClient({ host: '127.0.0.1', port: redis.port, password });
    client.on('error', () => {});
    try {
      await client.connect();
      const info = await client.info();
      return { ok: true, client, port: redis.port, info };
    } catch (err) {
      client.disconnect();
      if (isRedisAuthError(err)) {
        return {
          ok: false,
          problem: 'auth',
          message: `Redis on 127.0.0.1:${redis.port} rejected the stored password.`,
        };
      }
      const reason = ((err as Error).message ?? 'no answer').split('\n')[0];
      return {
        ok: false,
        problem: 'unreachable',
        message: `Redis on 127.0.0.1:${redis.port} did not answer (${reason}).`,
      };
    }
  });

  /** One connection to the external Redis (spec.redis.external), with INFO read. */
  private async externalRedis(): Promise<RedisState> {
    const found = await this.redisConnection();
    if (!found.ok) return { ok: false, problem: 'unreachable', message: found.error.message };
    const connection = found.connection;
    const client = this.openClient(connection);
    let socketError: unknown = null;
    client.on('error', (err: unknown) => (socketError ??= err));
    try {
      await client.connect();
      const info = await client.info();
      return { ok: true, client, port: connection.port, info };
    } catch (err) {
      client.disconnect();
      const spec = await this.spec();
      const error = externalRedisError(
        isRedisAuthError(err) ? err : (socketError ?? err),
        connection,
        spec.redis.external?.passwordSecret ?? null,
      );
      return {
        ok: false,
        problem: isRedisAuthError(err) ? 'auth' : 'unreachable',
        message: error.hint ? `${error.message} ${error.hint}` : error.message,
      };
    }
  }

  /** The checks' one Redis client (kept to be released by close), failing fast. */
  private openClient(endpoint: Omit<RedisConnection, 'external'>): Redis {
    this.client = new Redis({
      ...ioredisOptions(endpoint),
      lazyConnect: true,
      connectTimeout: this.redisTimeoutMs,
      commandTimeout: this.redisTimeoutMs,
      maxRetriesPerRequest: 0,
      enableOfflineQueue: false,
      retryStrategy: () => null,
      connectionName: 'guildhall:diagnostics',
    });
    return this.client;
  }

  /** Releases the Redis connection. */
  async close(): Promise<void> {
    this.client?.disconnect();
    this.client = null;
  }
}
