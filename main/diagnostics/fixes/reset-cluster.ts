/**
 * `reset-cluster`: `down` + `up`, Redis data kept; `reset-cluster-wipe`: `down --volumes` + `up`,
 * which deletes every job, so its confirmation is the cluster's name.
 */
import { requireConfirmation, type Fix } from './fix';

export const resetCluster: Fix = {
  id: 'reset-cluster',
  async run({ core, onProgress, up }) {
    await core.cluster.down({ onProgress });
    await up();
    return 'The cluster was recreated; Redis data was kept.';
  },
};

export const resetClusterWipe: Fix = {
  id: 'reset-cluster-wipe',
  async run(run) {
    requireConfirmation(run, run.spec.name);
    await run.core.cluster.down({ volumes: true, onProgress: run.onProgress });
    await run.up();
    return 'The cluster was recreated with empty Redis data.';
  },
};
