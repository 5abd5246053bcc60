/**
 * `restart-cluster`: stop every container (workers first, within the longest stop timeout of any
 * pool, then Redis), then `up`.
 */
import { clusterPools } from '../../settings/cluster-spec';
import type { Fix } from './fix';

export const restartCluster: Fix = {
  id: 'restart-cluster',
  async run({ core, spec, up }) {
    await (
      await core.cluster.containers()
    ).stopAll(Math.max(...clusterPools(spec).map((pool) => pool.spec.stopTimeoutSeconds)));
    await up();
    return 'The cluster was restarted.';
  },
};
