/**
 * Restarting or stopping one worker container of the cluster by its number. A stopped worker
 * stays stopped (and the cluster shows as degraded) until it is restarted or `up` runs again.
 */
import type Dockerode from 'dockerode';
import { containerName } from '../cluster/naming';
import type { ClusterStatus } from '../cluster/status';
import type { Core } from '../core';
import { GuildhallError } from '../util/errors';

export type WorkerAction = 'restart' | 'stop';

export async function controlWorker(
  core: Core,
  number: number,
  action: WorkerAction,
): Promise<ClusterStatus> {
  const { spec } = await core.cluster.spec();
  const { docker } = await core.engine();
  const container = docker.getContainer(containerName(spec.name, 'worker', number));
  try {
    await container.inspect();
  } catch (err) {
    if ((err as { statusCode?: number }).statusCode !== 404) throw err;
    const known = (await core.cluster.status()).workers.map((w) => w.number);
    throw new GuildhallError(
      'not-found',
      `Cluster ${spec.name} has no worker ${number}.`,
      known.length
        ? `Its workers are: ${known.join(', ')}.`
        : 'It has no workers; scale it up first.',
    );
  }
  const t = spec.workers.stopTimeoutSeconds;
  if (action === 'restart') await container.restart({ t });
  else await stopIgnoringStopped(container, t);
  return core.cluster.status();
}

async function stopIgnoringStopped(container: Dockerode.Container, t: number): Promise<void> {
  try {
    await container.stop({ t });
  } catch (err) {
    // 304: already stopped.
    if ((err as { statusCode?: number }).statusCode !== 304) throw err;
  }
}
