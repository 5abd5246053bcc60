/**
 * Names and labels of everything a cluster owns. Names follow docker compose's scheme
 * (`<project>-<service>-<n>`, `<project>_default`) and the compose labels are set, so Docker
 * Desktop groups the containers under the cluster's name; our own labels find them again.
 */
export type ServiceName = 'redis' | 'worker';

export const LABEL = {
  managed: 'io.guildhall.managed',
  cluster: 'io.guildhall.cluster',
  service: 'io.guildhall.service',
  number: 'io.guildhall.number',
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

/** The cluster's volumes: Redis's data (AOF), and the run volume (see RUN_DIR). */
export type ClusterVolume = 'redis-data' | 'redis-run';
export const CLUSTER_VOLUMES: readonly ClusterVolume[] = ['redis-data', 'redis-run'];

export function volumeName(cluster: string, volume: ClusterVolume): string {
  return `${cluster}_${volume}`;
}

export function redisVolumeName(cluster: string): string {
  return volumeName(cluster, 'redis-data');
}

export function containerName(cluster: string, service: ServiceName, number: number): string {
  return `${cluster}-${service}-${number}`;
}

export function containerLabels(
  cluster: string,
  service: ServiceName,
  number: number,
  specHash: string,
  version: string,
): Record<string, string> {
  return {
    [LABEL.managed]: 'true',
    [LABEL.cluster]: cluster,
    [LABEL.service]: service,
    [LABEL.number]: String(number),
    [LABEL.specHash]: specHash,
    [LABEL.version]: version,
    [COMPOSE_LABEL.project]: cluster,
    [COMPOSE_LABEL.service]: service,
    [COMPOSE_LABEL.number]: String(number),
    [COMPOSE_LABEL.oneoff]: 'False',
  };
}

export function networkLabels(cluster: string): Record<string, string> {
  return {
    [LABEL.managed]: 'true',
    [LABEL.cluster]: cluster,
    [COMPOSE_LABEL.project]: cluster,
    [COMPOSE_LABEL.network]: 'default',
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
