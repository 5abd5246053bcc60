/**
 * `choose-free-port`: the next free port after the current one goes into the settings; Redis is
 * recreated on it when the cluster exists.
 */
import type { Core } from '../../core';
import { GuildhallError } from '../../util/errors';
import { nextFreePort } from '../../cluster/port-status';
import type { Fix } from './fix';

export const chooseFreePort: Fix = {
  id: 'choose-free-port',
  async run({ core, spec, onProgress }) {
    const next = await nextFreePort(spec.redis.port);
    if (!next) {
      throw new GuildhallError(
        'port-in-use',
        `No free port was found after ${spec.redis.port}.`,
        'Free a port, or set one in Settings.',
      );
    }
    if (await clusterHasContainers(core)) {
      await core.cluster.up({ redisPort: next, onProgress });
      return `Redis now listens on 127.0.0.1:${next}; connection URLs changed (guildhall connect).`;
    }
    await core.settings.update((s) => ({
      ...s,
      cluster: { ...s.cluster, redis: { ...s.cluster.redis, port: next } },
    }));
    return `Redis will use port ${next}; the cluster was not started.`;
  },
};

/** False when the engine cannot be reached: then only settings can change. */
async function clusterHasContainers(core: Core): Promise<boolean> {
  let containers;
  try {
    containers = await core.cluster.containers();
  } catch {
    return false;
  }
  return containers.exist();
}
