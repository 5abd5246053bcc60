/** `recreate-worker:N`: remove worker N's container, then `up` makes it again. */
import { containerName } from '../../cluster/naming';
import { workerNumber, type Fix } from './fix';

export const recreateWorker: Fix = {
  id: 'recreate-worker',
  async run(run) {
    const n = workerNumber(run);
    const { spec } = run;
    await (
      await run.core.cluster.containers()
    ).remove(containerName(spec.name, 'worker', n), spec.workers.stopTimeoutSeconds);
    await run.up();
    return `worker-${n} was recreated.`;
  },
};
