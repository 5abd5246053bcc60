/**
 * `restart-worker:N` / `restart-worker:<pool>-N`: restart that container of its pool (a graceful
 * stop within the pool's stop timeout, then start).
 */
import { workerTarget, type Fix } from './fix';

export const restartWorker: Fix = {
  id: 'restart-worker',
  async run(run) {
    const { pool, number, short } = workerTarget(run);
    await run.core.cluster.restartWorker(number, pool);
    return `${short} was restarted.`;
  },
};
