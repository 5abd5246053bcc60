/**
 * Images check: the Redis image, the worker base image and the worker image built from the
 * shipped context are on the engine. Without a registry, a missing image cannot be pulled, so
 * the fixes offer pull, load from a file, and build.
 */
import { readWorkerContext, workerImageTag } from '../../images/worker-image';
import { failed, passed, skipped, warning, type DiagnosticCheck, type FixAction } from '../types';

export const imagesPresentCheck: DiagnosticCheck = {
  id: 'images.present',
  category: 'images',
  title: 'Images present',
  documentation:
    'The cluster needs the Redis image, the worker base image (with Node.js) and the worker image Guildhall builds on it. Missing images are pulled or built by `guildhall up`, which needs the network for pulls.',
  applicable: () => true,
  async check(ctx) {
    const images = await ctx.images();
    if (!images) return skipped('The engine could not be reached.');
    const spec = await ctx.spec();
    const [redis, base] = await Promise.all([
      images.inspect(spec.redis.image),
      images.inspect(spec.workers.baseImage),
    ]);
    const missing: string[] = [];
    const fixes: FixAction[] = [];
    const details: string[] = [];
    if (!redis) {
      missing.push(`Redis image ${spec.redis.image}`);
      fixes.push({ id: 'pull-image:redis', label: `Pull ${spec.redis.image}` });
    }
    if (!base) {
      missing.push(`worker base image ${spec.workers.baseImage}`);
      fixes.push({ id: 'pull-image:worker-base', label: `Pull ${spec.workers.baseImage}` });
    }
    let workerTag: string | null = null;
    try {
      const context = await readWorkerContext(ctx.core.workerContextDir);
      if (base) {
        workerTag = workerImageTag(context, base.id);
        if (!(await images.inspect(workerTag))) {
          missing.push(`worker image ${workerTag}`);
          fixes.push({
            id: 'build-worker-image',
            label: `Build the worker image on ${spec.workers.baseImage}`,
          });
        }
      } else {
        details.push('The worker image is built on the base image once it is present.');
      }
    } catch (err) {
      return failed((err as Error).message, [], [(err as { hint?: string }).hint ?? '']);
    }
    if (missing.length === 0) {
      return passed(
        `${spec.redis.image}, ${spec.workers.baseImage} and ${workerTag ?? 'the worker image'} are present.`,
      );
    }
    if (!redis || !base) {
      fixes.push({
        id: 'load-image',
        label: 'Load an image from a file (docker save tarball)…',
        input: 'file',
      });
      details.push(
        'Without network access, load the image from a file made by `docker save`, or point GUILDHALL_REDIS_IMAGE / GUILDHALL_WORKER_BASE_IMAGE at images the engine has.',
      );
    }
    const message = `Missing: ${missing.join(', ')}.`;
    return (await ctx.clusterExists())
      ? failed(message, fixes, details)
      : warning(`${message} \`guildhall up\` will pull or build them.`, fixes, details);
  },
};

export const IMAGE_CHECKS: DiagnosticCheck[] = [imagesPresentCheck];
