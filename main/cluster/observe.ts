/** Reads what the engine has for a cluster, found by our labels (never by name guessing). */
import type Dockerode from 'dockerode';
import {
  CLUSTER_VOLUMES,
  clusterFilter,
  LABEL,
  networkName,
  poolOfLabels,
  redisVolumeName,
  volumeName,
  type ClusterVolume,
  type ServiceName,
} from './naming';
import type { ContainerState, ObservedCluster, ObservedContainer } from './plan';

/** The id of the network called exactly `name`, or null when the engine has none. */
export async function findNetworkNamed(docker: Dockerode, name: string): Promise<string | null> {
  // The engine's name filter matches substrings; keep exact matches only.
  const networks = await docker.listNetworks({ filters: { name: [name] } });
  const exact = networks.filter((n) => n.Name === name).sort((a, b) => a.Id.localeCompare(b.Id));
  return exact[0]?.Id ?? null;
}

/** The cluster's ordinary network's id, or null. */
export function findNetworkId(docker: Dockerode, cluster: string): Promise<string | null> {
  return findNetworkNamed(docker, networkName(cluster));
}

async function volumeNamed(docker: Dockerode, name: string): Promise<boolean> {
  try {
    await docker.getVolume(name).inspect();
    return true;
  } catch (err) {
    if ((err as { statusCode?: number }).statusCode === 404) return false;
    throw err;
  }
}

/** Whether the cluster's data volume exists. */
export async function volumeExists(docker: Dockerode, cluster: string): Promise<boolean> {
  return volumeNamed(docker, redisVolumeName(cluster));
}

async function missingVolumes(docker: Dockerode, cluster: string): Promise<ClusterVolume[]> {
  const exists = await Promise.all(
    CLUSTER_VOLUMES.map((volume) => volumeNamed(docker, volumeName(cluster, volume))),
  );
  return CLUSTER_VOLUMES.filter((_, i) => !exists[i]);
}

export function toObservedContainer(info: Dockerode.ContainerInfo): ObservedContainer | null {
  const labels = info.Labels ?? {};
  const pool = poolOfLabels(labels);
  const number = Number(labels[LABEL.number]);
  if (pool === null || !Number.isInteger(number)) return null;
  return {
    id: info.Id,
    name: (info.Names[0] ?? info.Id).replace(/^\//, ''),
    service: labels[LABEL.service] as ServiceName,
    pool,
    number,
    state: info.State as ContainerState,
    specHash: labels[LABEL.specHash] ?? '',
    created: info.Created,
  };
}

export async function listClusterContainers(
  docker: Dockerode,
  cluster: string,
): Promise<Dockerode.ContainerInfo[]> {
  return docker.listContainers({ all: true, filters: clusterFilter(cluster) });
}

/** The cluster's network (its id, if any) and which of its volumes are missing. */
export async function observeInfra(
  docker: Dockerode,
  cluster: string,
): Promise<Pick<ObservedCluster, 'networkId' | 'missingVolumes'>> {
  const [networkId, missing] = await Promise.all([
    findNetworkId(docker, cluster),
    missingVolumes(docker, cluster),
  ]);
  return { networkId, missingVolumes: missing };
}

export async function observeCluster(docker: Dockerode, cluster: string): Promise<ObservedCluster> {
  const [containers, infra] = await Promise.all([
    listClusterContainers(docker, cluster),
    observeInfra(docker, cluster),
  ]);
  return {
    ...infra,
    containers: containers
      .map(toObservedContainer)
      .filter((c): c is ObservedContainer => c !== null),
  };
}
