/** `restart-worker:N`: restart worker N's container (a graceful stop, then start). */
import { workerNumber, type Fix } from './fix';

export const restartWorker: Fix = {
  id: 'restart-worker',
  async run(run) {
    const n = workerNumber(run);
    await run.core.cluster.restartWorker(n);
    return `worker-${n} was restarted.`;
  },
};
