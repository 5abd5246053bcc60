/**
 * A cluster's status as users see it: Redis and each pool's containers with state, health,
 * restarts (the engine's restarts that were crashes) and reloads (planned exits to load changed
 * processor files, see reload-records.ts), and each pool's summary. Built-in pools' health comes
 * from their heartbeats too; custom pools' only from the engine (their healthcheck, if any).
 */
import type Dockerode from 'dockerode';
import { listClusterContainers, findNetworkId, toObservedContainer, volumeExists } from './observe';
import { redisHealth, workerHealth } from './own-health';
import { presentHeartbeats, redisAnswers } from './redis-probe';
import type { RedisConnection } from './redis-connection';
import { reloadTimesAt, type ReloadQuery } from './reload-records';
import { clusterPools, totalReplicas, type ClusterSpec } from '../settings/cluster-spec';
import type { PoolKind } from '../settings/pool-spec';
import { heartbeatKey, REDIS_CONTAINER_PORT } from '@shared/worker-contract';

export type Health = 'healthy' | 'unhealthy' | 'starting' | 'none';

export interface ContainerStatus {
  id: string;
  name: string;
  /** The pool it belongs to (`redis` for the broker). */
  pool: string;
  number: number;
  state: string;
  health: Health;
  /** The engine's healthcheck failures in a row (0 without a healthcheck or when it passes). */
  failingStreak: number;
  /** Restarts by the engine that were not planned reloads: crashes. */
  restartCount: number;
  /** Planned reloads of this container (exits to load changed processor files). */
  reloads: number;
  startedAt: string | null;
  exitCode: number | null;
  oomKilled: boolean;
  image: string;
}

export interface RedisStatus extends ContainerStatus {
  /** Host port on 127.0.0.1, or null when not published. */
  port: number | null;
}

export type ClusterState = 'running' | 'degraded' | 'starting' | 'stopped' | 'absent';

/** One pool at a glance. */
export interface PoolStatus {
  name: string;
  kind: PoolKind;
  /** What its containers run: a custom pool's image, a built-in pool's running image (or null). */
  image: string | null;
  desired: number;
  /** Its containers, and how many of them are running. */
  containers: number;
  running: number;
}

export interface ClusterStatus {
  cluster: string;
  state: ClusterState;
  network: boolean;
  volume: boolean;
  redis: RedisStatus | null;
  /** Every pool's containers, pool by pool, numbers ascending. */
  workers: ContainerStatus[];
  /** Containers wanted in all pools together. */
  desiredWorkers: number;
  pools: PoolStatus[];
}

function healthOf(info: Dockerode.ContainerInspectInfo): Health {
  const status = info.State.Health?.Status;
  return status === 'healthy' || status === 'unhealthy' || status === 'starting' ? status : 'none';
}

function containerStatus(
  info: Dockerode.ContainerInspectInfo,
  pool: string,
  number: number,
): ContainerStatus {
  const running = info.State.Running;
  return {
    id: info.Id,
    name: info.Name.replace(/^\//, ''),
    pool,
    number,
    state: info.State.Status,
    health: healthOf(info),
    failingStreak: info.State.Health?.FailingStreak ?? 0,
    restartCount: info.RestartCount ?? 0,
    reloads: 0,
    startedAt: running ? info.State.StartedAt : null,
    exitCode: running ? null : info.State.ExitCode,
    oomKilled: info.State.OOMKilled,
    image: info.Config.Image,
  };
}

/** The host port Redis is published on, from a container's inspect output. */
export function publishedPort(info: Dockerode.ContainerInspectInfo): number | null {
  const bindings = info.HostConfig.PortBindings?.[`${REDIS_CONTAINER_PORT}/tcp`] as
    { HostPort?: string }[] | undefined;
  const port = Number(bindings?.[0]?.HostPort);
  return Number.isInteger(port) && port > 0 ? port : null;
}

export function summarizeState(
  redis: RedisStatus | null,
  workers: ContainerStatus[],
  desired: number,
): ClusterState {
  if (!redis && workers.length === 0) return 'absent';
  const redisUp = redis?.state === 'running';
  const runningWorkers = workers.filter((w) => w.state === 'running');
  if (!redisUp && runningWorkers.length === 0) return 'stopped';
  if (redisUp && redis?.health === 'starting') return 'starting';
  const healthyWorkers = runningWorkers.filter((w) => w.health !== 'unhealthy').length;
  if (
    redisUp &&
    redis?.health !== 'unhealthy' &&
    healthyWorkers >= desired &&
    workers.length === desired
  )
    return 'running';
  return 'degraded';
}

export interface StatusOptions {
  /**
   * Asks Redis on its published port for an authenticated PING. The engine's healthcheck reports
   * "starting" until its first probe, one interval after start; while it does, a Redis that
   * answers is reported healthy, since that is what clients depend on.
   */
  redisAnswers?: (port: number) => Promise<boolean>;
  /**
   * Reads whether each of these keys (the workers' heartbeats) is in Redis on its published
   * port; null when Redis cannot be read. Workers' health then comes from them (own-health.ts).
   */
  heartbeats?: (port: number, keys: string[]) => Promise<boolean[] | null>;
  /**
   * Reads the workers' recorded reloads from Redis on its published port (reload-records.ts).
   * Without it, every restart the engine counts is reported as a crash.
   */
  reloadTimes?: (port: number, workers: ReloadQuery[]) => Promise<Map<string, number[]>>;
}

/** Status options that ask Redis on 127.0.0.1 with `password` (none without a password). */
export function pingWithPassword(password: string | null, cluster: string): StatusOptions {
  return redisProbes(
    password === null ? null : { host: '127.0.0.1', port: 0, password, external: false },
    cluster,
  );
}

/**
 * Status options that ask Redis through `connection` (redis-connection.ts): the cluster's own
 * Redis on its published port, or the external one where it is. None without a connection or,
 * for the cluster's own Redis, without its password.
 */
export function redisProbes(connection: RedisConnection | null, cluster: string): StatusOptions {
  if (connection === null || (!connection.external && connection.password === undefined)) return {};
  const endpoint = (port: number) => (connection.external ? connection : { ...connection, port });
  return {
    redisAnswers: (port) => redisAnswers(endpoint(port)),
    heartbeats: (port, keys) => presentHeartbeats(endpoint(port), keys),
    reloadTimes: (port, workers) => reloadTimesAt(endpoint(port), cluster, workers),
  };
}

/** Splits the engine's restart counts into reloads and crashes. */
async function countReloads(
  workers: { status: ContainerStatus; createdAt: number }[],
  redis: RedisStatus | null,
  options: StatusOptions,
): Promise<void> {
  const restarted = workers.filter((w) => w.status.restartCount > 0);
  if (!options.reloadTimes || redis?.state !== 'running') return;
  const port = redis.id === EXTERNAL_REDIS_ID ? 0 : redis.port;
  if (port === null) return;
  if (restarted.length === 0) return;
  const times = await options
    .reloadTimes(
      port,
      restarted.map((w) => ({ name: w.status.name, createdAt: w.createdAt })),
    )
    .catch(() => new Map<string, number[]>());
  for (const { status } of restarted) {
    const reloads = Math.min(times.get(status.name)?.length ?? 0, status.restartCount);
    status.reloads = reloads;
    status.restartCount -= reloads;
  }
}

/** The id of the Redis status that stands for an external Redis (no container of ours). */
export const EXTERNAL_REDIS_ID = 'external';

/** The external Redis as a status entry: running while it answers, named by its address. */
async function externalRedisStatus(
  spec: ClusterSpec,
  options: StatusOptions,
): Promise<RedisStatus> {
  const answers = options.redisAnswers ? await options.redisAnswers(0).catch(() => false) : null;
  const url = spec.redis.external?.url ?? '';
  const address = /^rediss?:\/\/(?:[^@/]*@)?([^/]+)/.exec(url)?.[1] ?? url;
  return {
    id: EXTERNAL_REDIS_ID,
    name: `external ${address}`,
    pool: 'redis',
    number: 1,
    state: answers === false ? 'unreachable' : 'running',
    health: answers === null ? 'none' : answers ? 'healthy' : 'unhealthy',
    restartCount: 0,
    reloads: 0,
    startedAt: null,
    exitCode: null,
    oomKilled: false,
    failingStreak: 0,
    image: '',
    port: null,
  };
}

export async function clusterStatus(
  docker: Dockerode,
  spec: ClusterSpec,
  options: StatusOptions = {},
): Promise<ClusterStatus> {
  const [containers, networkId, volume] = await Promise.all([
    listClusterContainers(docker, spec.name),
    findNetworkId(docker, spec.name),
    volumeExists(docker, spec.name),
  ]);
  const inspected = await Promise.all(
    containers.map(async (info) => {
      const observed = toObservedContainer(info);
      if (!observed) return null;
      try {
        return { observed, inspect: await docker.getContainer(info.Id).inspect() };
      } catch {
        return null; // removed between list and inspect
      }
    }),
  );
  let redis: RedisStatus | null = null;
  const created: { status: ContainerStatus; createdAt: number }[] = [];
  for (const entry of inspected) {
    if (!entry) continue;
    const status = containerStatus(entry.inspect, entry.observed.pool, entry.observed.number);
    if (entry.observed.service === 'redis') {
      if (!redis || status.state === 'running')
        redis = { ...status, port: publishedPort(entry.inspect) };
    } else created.push({ status, createdAt: Date.parse(entry.inspect.Created) || 0 });
  }
  const external = spec.redis.external;
  if (external) {
    // No container of ours: the external Redis stands in for it once the cluster exists.
    redis =
      created.length > 0 || networkId !== null ? await externalRedisStatus(spec, options) : null;
  }
  await countReloads(created, redis, options);
  const pools = clusterPools(spec);
  const order = new Map(pools.map((p, i) => [p.name, i]));
  const rank = (pool: string) => order.get(pool) ?? pools.length;
  const workers = created
    .map((w) => w.status)
    .sort((a, b) => rank(a.pool) - rank(b.pool) || a.number - b.number);
  const builtin = new Set(pools.filter((p) => p.kind === 'builtin').map((p) => p.name));
  // Guildhall's own look (own-health.ts): PING while the engine has no verdict, and heartbeats.
  const now = Date.now();
  const runningFor = (c: ContainerStatus) => (c.startedAt ? now - Date.parse(c.startedAt) : 0);
  const port = redis?.state === 'running' ? (external ? 0 : redis.port) : null;
  // Heartbeats are the worker program's: custom pools' containers send none.
  const running = workers.filter((w) => w.state === 'running' && builtin.has(w.pool));
  const [answers, beats] = await Promise.all([
    port !== null &&
    !external &&
    options.redisAnswers &&
    (redis!.health === 'starting' || redis!.health === 'none')
      ? options.redisAnswers(port)
      : null,
    port !== null && options.heartbeats && running.length > 0
      ? options.heartbeats(
          port,
          running.map((w) => heartbeatKey(spec.name, w.name)),
        )
      : null,
  ]);
  if (redis) redis = { ...redis, health: redisHealth(redis.health, answers, runningFor(redis)) };
  for (const [i, worker] of running.entries()) {
    worker.health = workerHealth(worker.health, beats?.[i] ?? null, runningFor(worker));
  }
  const desired = totalReplicas(spec);
  return {
    cluster: spec.name,
    state: summarizeState(redis, workers, desired),
    network: networkId !== null,
    volume,
    redis,
    workers,
    desiredWorkers: desired,
    pools: pools.map((pool) => {
      const own = workers.filter((w) => w.pool === pool.name);
      return {
        name: pool.name,
        kind: pool.kind,
        image: pool.kind === 'custom' ? pool.spec.image : (own[0]?.image ?? null),
        desired: pool.spec.replicas,
        containers: own.length,
        running: own.filter((w) => w.state === 'running').length,
      };
    }),
  };
}
