/** `build-worker-image`: build the worker image on the configured base image. */
import type { Fix } from './fix';

export const buildWorkerImage: Fix = {
  id: 'build-worker-image',
  async run({ core, spec, onProgress }) {
    const tag = await (await core.images()).ensureWorker(spec.workers.baseImage, onProgress);
    return `The worker image ${tag} is ready.`;
  },
};
