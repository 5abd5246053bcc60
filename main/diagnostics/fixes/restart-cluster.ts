/** `restart-cluster`: stop every container (workers first, then Redis), then `up`. */
import type { Fix } from './fix';

export const restartCluster: Fix = {
  id: 'restart-cluster',
  async run({ core, spec, up }) {
    await (await core.cluster.containers()).stopAll(spec.workers.stopTimeoutSeconds);
    await up();
    return 'The cluster was restarted.';
  },
};
