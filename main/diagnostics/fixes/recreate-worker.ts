/**
 * `recreate-worker:N` / `recreate-worker:<pool>-N`: remove that container of its pool (within the
 * pool's stop timeout), then `up` makes it again.
 */
import { containerName } from '../../cluster/naming';
import { workerTarget, type Fix } from './fix';

export const recreateWorker: Fix = {
  id: 'recreate-worker',
  async run(run) {
    const { pool, number, spec, short } = workerTarget(run);
    await (
      await run.core.cluster.containers()
    ).remove(containerName(run.spec.name, pool, number), spec.stopTimeoutSeconds);
    await run.up();
    return `${short} was recreated.`;
  },
};
