/** `pull-image:redis` and `pull-image:worker-base`: pull the configured image. */
import { GuildhallError } from '../../util/errors';
import type { Fix } from './fix';

export const pullImage: Fix = {
  id: 'pull-image',
  async run({ core, spec, arg, onProgress }) {
    const ref =
      arg === 'redis' ? spec.redis.image : arg === 'worker-base' ? spec.workers.baseImage : null;
    if (!ref)
      throw new GuildhallError(
        'invalid-input',
        `Unknown image "${arg ?? ''}".`,
        'Use pull-image:redis or pull-image:worker-base.',
      );
    await (await core.images()).pull(ref, onProgress);
    return `Pulled ${ref}.`;
  },
};
