/**
 * Taking a cluster down: every container of every pool (found by label), the networks, the run
 * volume, the pools' secrets volumes and, when asked, Redis's data. Used by `down` and by a first `up` that failed.
 */
import type Dockerode from 'dockerode';
import type { ClusterSpec } from '../settings/cluster-spec';
import { progress, type ProgressSink } from '../util/progress';
import { removeContainer } from './container-removal';
import { networkName, volumeName } from './naming';
import { removeInternalNetwork } from './internal-network';
import { listClusterContainers } from './observe';
import { pruneSecretsVolumes } from './pool-host';

/** What `down` found and removed. */
export interface DownResult {
  /** Containers removed (0 when the cluster had none). */
  containers: number;
  /** True when the Redis data volume existed and was deleted. */
  dataDeleted: boolean;
}

/** Removes the cluster's containers and network, its run volume and, with `volumes`, its data. */
export async function removeCluster(
  docker: Dockerode,
  spec: ClusterSpec,
  options: { volumes: boolean; stopSeconds: number; onProgress: ProgressSink },
): Promise<DownResult> {
  const { onProgress } = options;
  const containers = await listClusterContainers(docker, spec.name);
  await Promise.all(
    containers.map(async (info) => {
      const name = (info.Names[0] ?? info.Id).replace(/^\//, '');
      progress(onProgress, 'remove', name, 'running', { message: 'stopping' });
      await removeContainer(docker, info.Id, info.State === 'running' ? options.stopSeconds : 0);
      progress(onProgress, 'remove', name, 'done', { message: 'removed' });
    }),
  );
  const network = networkName(spec.name);
  const networks = await docker.listNetworks({ filters: { name: [network] } });
  for (const n of networks.filter((n) => n.Name === network)) {
    progress(onProgress, 'network', network, 'running', { message: 'removing' });
    await docker.getNetwork(n.Id).remove();
    progress(onProgress, 'network', network, 'done', { message: 'removed' });
  }
  // The internal network, when a pool had asked for it (internal-network.ts).
  await removeInternalNetwork(docker, spec.name, onProgress);
  // The run volume holds only what the next up writes again (config, password, socket).
  const volumes = [volumeName(spec.name, 'redis-run')];
  if (options.volumes) volumes.push(volumeName(spec.name, 'redis-data'));
  // Each pool's secrets volume (pool-host.ts) goes too: the next up writes it again.
  const removedVolumes = await pruneSecretsVolumes(docker, spec.name);
  for (const volume of volumes) {
    progress(onProgress, 'volume', volume, 'running', { message: 'removing' });
    const removed = await docker
      .getVolume(volume)
      .remove()
      .then(
        () => true,
        (err: { statusCode?: number }) => {
          if (err.statusCode !== 404) throw err;
          return false;
        },
      );
    if (removed) removedVolumes.push(volume);
    progress(onProgress, 'volume', volume, removed ? 'done' : 'skipped', {
      message: removed ? 'removed' : 'not there',
    });
  }
  return {
    containers: containers.length,
    dataDeleted: removedVolumes.includes(volumeName(spec.name, 'redis-data')),
  };
}
