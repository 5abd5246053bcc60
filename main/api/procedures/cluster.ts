/** cluster.*: status, up, down, scale, and restarting or stopping one worker of any pool. */
import { os } from './base';

export const clusterProcedures = {
  status: os.cluster.status.handler(async ({ context }) => {
    const status = await context.services.core.cluster.status();
    context.services.offerClusterStatus(status);
    return status;
  }),

  up: os.cluster.up.handler(async ({ input, context }) => {
    const { services } = context;
    const status = await services.operation('cluster.up', input?.operationId, (onProgress) =>
      services.core.cluster.up({
        workers: input?.workers,
        redisPort: input?.redisPort,
        waitForWorkers: input?.waitForWorkers,
        onProgress,
      }),
    );
    services.offerClusterStatus(status);
    return status;
  }),

  down: os.cluster.down.handler(async ({ input, context }) => {
    const { services } = context;
    const status = await services.operation(
      'cluster.down',
      input?.operationId,
      async (onProgress) => {
        await services.core.cluster.down({ volumes: input?.volumes, onProgress });
        return services.core.cluster.status();
      },
    );
    services.offerClusterStatus(status);
    return status;
  }),

  scale: os.cluster.scale.handler(async ({ input, context }) => {
    const { services } = context;
    const status = await services.operation('cluster.scale', input.operationId, (onProgress) =>
      services.core.cluster.scale(input.replicas, { pool: input.pool, onProgress }),
    );
    services.offerClusterStatus(status);
    return status;
  }),

  restartWorker: os.cluster.restartWorker.handler(async ({ input, context }) => {
    const { services } = context;
    const status = await services.operation('cluster.restartWorker', undefined, () =>
      services.core.cluster.restartWorker(input.number, input.pool),
    );
    services.offerClusterStatus(status);
    return status;
  }),

  stopWorker: os.cluster.stopWorker.handler(async ({ input, context }) => {
    const { services } = context;
    const status = await services.operation('cluster.stopWorker', undefined, () =>
      services.core.cluster.stopWorker(input.number, input.pool),
    );
    services.offerClusterStatus(status);
    return status;
  }),
};
