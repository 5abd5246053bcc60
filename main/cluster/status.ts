/** A cluster's status as users see it: Redis and each worker with state, health and restarts. */
import type Dockerode from 'dockerode';
import { listClusterContainers, findNetworkId, toObservedContainer, volumeExists } from './observe';
import { redisAnswers } from './redis-probe';
import type { ClusterSpec } from '../settings/cluster-spec';
import { REDIS_CONTAINER_PORT } from '@shared/worker-contract';

export type Health = 'healthy' | 'unhealthy' | 'starting' | 'none';

export interface ContainerStatus {
  id: string;
  name: string;
  number: number;
  state: string;
  health: Health;
  restartCount: number;
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

export interface ClusterStatus {
  cluster: string;
  state: ClusterState;
  network: boolean;
  volume: boolean;
  redis: RedisStatus | null;
  workers: ContainerStatus[];
  desiredWorkers: number;
}

function healthOf(info: Dockerode.ContainerInspectInfo): Health {
  const status = info.State.Health?.Status;
  return status === 'healthy' || status === 'unhealthy' || status === 'starting' ? status : 'none';
}

function containerStatus(info: Dockerode.ContainerInspectInfo, number: number): ContainerStatus {
  const running = info.State.Running;
  return {
    id: info.Id,
    name: info.Name.replace(/^\//, ''),
    number,
    state: info.State.Status,
    health: healthOf(info),
    restartCount: info.RestartCount ?? 0,
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
}

/** Status options that ask Redis on 127.0.0.1 with `password` (none without a password). */
export function pingWithPassword(password: string | null): StatusOptions {
  if (password === null) return {};
  return { redisAnswers: (port) => redisAnswers({ host: '127.0.0.1', port, password }) };
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
  const workers: ContainerStatus[] = [];
  for (const entry of inspected) {
    if (!entry) continue;
    const status = containerStatus(entry.inspect, entry.observed.number);
    if (entry.observed.service === 'redis') {
      if (!redis || status.state === 'running')
        redis = { ...status, port: publishedPort(entry.inspect) };
    } else workers.push(status);
  }
  workers.sort((a, b) => a.number - b.number);
  if (
    redis?.state === 'running' &&
    redis.health === 'starting' &&
    redis.port !== null &&
    options.redisAnswers &&
    (await options.redisAnswers(redis.port))
  ) {
    redis = { ...redis, health: 'healthy' };
  }
  return {
    cluster: spec.name,
    state: summarizeState(redis, workers, spec.workers.replicas),
    network: networkId !== null,
    volume,
    redis,
    workers,
    desiredWorkers: spec.workers.replicas,
  };
}
