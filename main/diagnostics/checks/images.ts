/**
 * Images check: the Redis image, the worker base image and the worker image built from the
 * shipped context are on the engine. A missing image is offered a pull only when a pull can work
 * (images/pull-reach.ts): a local-only image (the offline builds) or an offline host get how to
 * build, load or set the image instead; load from a file and build are offered too.
 */
import type { ImageOverride } from '../../settings/cluster-spec';
import { isLocalOnlyImage, registryReachable } from '../../images/pull-reach';
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
    const overrides = ctx.core.cluster.imageOverrides();
    const offerPull = async (
      ref: string,
      fixId: string,
      override: ImageOverride | null,
    ): Promise<void> => {
      const why = isLocalOnlyImage(ref)
        ? `${ref} is built on this machine, not in a registry, so it cannot be pulled`
        : (await registryReachable(ref))
          ? null
          : `No registry is reachable from this host, so ${ref} cannot be pulled`;
      if (why === null) {
        fixes.push({ id: fixId, label: `Pull ${ref}` });
        return;
      }
      const setIt = override
        ? `change ${override.variable}, which sets it`
        : 'set another image in Settings → Images';
      details.push(
        `${why}: build the offline images (bash scripts/build-offline-images.sh), load the image from a file, or ${setIt}.`,
      );
    };
    if (!redis) {
      missing.push(`Redis image ${spec.redis.image}`);
      await offerPull(spec.redis.image, 'pull-image:redis', overrides.redis);
    }
    if (!base) {
      missing.push(`worker base image ${spec.workers.baseImage}`);
      await offerPull(spec.workers.baseImage, 'pull-image:worker-base', overrides.workerBase);
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
