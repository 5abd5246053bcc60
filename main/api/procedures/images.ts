/**
 * images.ensure: pulls the Redis image and builds the worker image when missing, with progress.
 * images.buildPool: builds one pool's image (packages, Dockerfile or build context), its progress
 * on the event stream, as `guildhall image build POOL` does.
 */
import { buildPoolImages } from '../../images/pool-builds';
import { progressWhile } from '../progress-stream';
import { os } from './base';

export const imagesProcedures = {
  ensure: os.images.ensure.handler(({ input, context }) => {
    const { services } = context;
    return progressWhile((local) =>
      services.operation('images.ensure', input?.operationId, async (hub) => {
        const onProgress = (event: Parameters<typeof local>[0]) => {
          hub(event);
          local(event);
        };
        const { spec } = await services.core.cluster.spec();
        const images = await services.core.images();
        const [, workerImage] = await Promise.all([
          images.ensure(spec.redis.image, onProgress),
          images.ensureWorker(spec.workers.baseImage, onProgress),
        ]);
        return { redisImage: spec.redis.image, workerImage };
      }),
    );
  }),

  buildPool: os.images.buildPool.handler(async ({ input, context }) => {
    const { services } = context;
    return services.operation('images.buildPool', input.operationId, async (onProgress) => {
      const { spec } = await services.core.cluster.spec();
      const built = await buildPoolImages(
        await services.core.images(),
        spec,
        input.pool,
        onProgress,
      );
      return { pool: input.pool, image: built[input.pool]! };
    });
  }),
};
