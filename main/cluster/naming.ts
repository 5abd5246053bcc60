/**
 * Names and labels of everything a cluster owns. Names follow docker compose's scheme
 * (`<project>-<service>-<n>`, `<project>_default`) and the compose labels are set, so Docker
 * Desktop groups the containers under the cluster's name; our own labels find them again.
 *
 * A pool's containers are `<cluster>-<pool>-<n>` with the compose service label = the pool's
 * name (Docker Desktop groups them by pool); our `service` label says what a container is for
 * (`redis`, or `worker` for every pool's containers) and `pool` which pool it belongs to. The
 * default pool `worker` keeps the names and labels of the clusters made before pools; its
 * containers from then carry no `pool` label and are read as the default pool's.
 */
import { DEFAULT_POOL } from '../settings/pool-spec';

/** What a container is for: the broker, or a pool's container. */
export type ServiceName = 'redis' | 'worker';

export const LABEL = {
  managed: 'io.guildhall.managed',
  cluster: 'io.guildhall.cluster',
  service: 'io.guildhall.service',
  number: 'io.guildhall.number',
  /** The pool a worker container belongs to (absent on the default pool's older containers). */
  pool: 'io.guildhall.pool',
  specHash: 'io.guildhall.spec-hash',
  version: 'io.guildhall.version',
} as const;

export const COMPOSE_LABEL = {
  project: 'com.docker.compose.project',
  service: 'com.docker.compose.service',
  number: 'com.docker.compose.container-number',
  oneoff: 'com.docker.compose.oneoff',
  network: 'com.docker.compose.network',
  volume: 'com.docker.compose.volume',
} as const;

export function networkName(cluster: string): string {
  return `${cluster}_default`;
}

/** The network with no way out that pools with `network: internal` share with Redis only. */
export function internalNetworkName(cluster: string): string {
  return `${cluster}_internal`;
}

/** The cluster's volumes: Redis's data (AOF), and the run volume (see RUN_DIR). */
export type ClusterVolume = 'redis-data' | 'redis-run';
export const CLUSTER_VOLUMES: readonly ClusterVolume[] = ['redis-data', 'redis-run'];

export function volumeName(cluster: string, volume: ClusterVolume): string {
  return `${cluster}_${volume}`;
}

export function redisVolumeName(cluster: string): string {
  return volumeName(cluster, 'redis-data');
}

/**
 * `<cluster>-redis-1`, or `<cluster>-<pool>-<n>` for a pool's container (`service` is then the
 * pool's name; the default pool's is `worker`).
 */
export function containerName(cluster: string, service: string, number: number): string {
  return `${cluster}-${service}-${number}`;
}

/** The short name users type for a container: `redis`, `worker-2`, `tools-1`. */
export function shortName(pool: string, number: number): string {
  return pool === 'redis' ? 'redis' : `${pool}-${number}`;
}

/**
 * Reads a short name (`redis`, `worker`, `worker-2`, `tools-1`; `redis-1` and a bare `worker` mean
 * container 1); null when it is not one.
 */
export function parseShortName(target: string): { pool: string; number: number } | null {
  if (target === 'redis' || target === DEFAULT_POOL) return { pool: target, number: 1 };
  const match = /^([a-z][a-z0-9-]*)-(\d+)$/.exec(target);
  if (!match) return null;
  return { pool: match[1]!, number: Number(match[2]) };
}

/** Labels of Redis (`pool` is `redis`, a name no pool may take) or of a pool's container. */
export function containerLabels(
  cluster: string,
  pool: string,
  number: number,
  specHash: string,
  version: string,
): Record<string, string> {
  const service: ServiceName = pool === 'redis' ? 'redis' : 'worker';
  return {
    [LABEL.managed]: 'true',
    [LABEL.cluster]: cluster,
    [LABEL.service]: service,
    [LABEL.number]: String(number),
    ...(service === 'redis' ? {} : { [LABEL.pool]: pool }),
    [LABEL.specHash]: specHash,
    [LABEL.version]: version,
    [COMPOSE_LABEL.project]: cluster,
    [COMPOSE_LABEL.service]: pool,
    [COMPOSE_LABEL.number]: String(number),
    [COMPOSE_LABEL.oneoff]: 'False',
  };
}

/** The pool of a container from its labels: `redis` for the broker, else its pool's name. */
export function poolOfLabels(labels: Record<string, string> | undefined): string | null {
  const service = labels?.[LABEL.service];
  if (service === 'redis') return 'redis';
  if (service !== 'worker') return null;
  return labels?.[LABEL.pool] ?? DEFAULT_POOL;
}

export function networkLabels(cluster: string, network = 'default'): Record<string, string> {
  return {
    [LABEL.managed]: 'true',
    [LABEL.cluster]: cluster,
    [COMPOSE_LABEL.project]: cluster,
    [COMPOSE_LABEL.network]: network,
  };
}

export function volumeLabels(cluster: string, volume: ClusterVolume): Record<string, string> {
  return {
    [LABEL.managed]: 'true',
    [LABEL.cluster]: cluster,
    [COMPOSE_LABEL.project]: cluster,
    [COMPOSE_LABEL.volume]: volume,
  };
}

/** Engine list filter selecting one cluster's objects. */
export function clusterFilter(cluster: string): { label: string[] } {
  return { label: [`${LABEL.managed}=true`, `${LABEL.cluster}=${cluster}`] };
}
