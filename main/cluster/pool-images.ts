/**
 * The image each pool's containers run, ensured before anything changes: a built-in pool runs the
 * worker image built on the workers' base image, plus its own `packages` and `dockerfile` when it
 * has them (images/pool-image.ts); a custom pool its `image` (pulled when the engine lacks it, as
 * Redis's is) or the image built from its `build` context.
 */
import type Dockerode from 'dockerode';
import { ensureImage } from '../images/images';
import { ensureCustomPoolImage, ensurePoolImage } from '../images/pool-image';
import { ensureWorkerImage } from '../images/worker-image';
import type { ClusterPool, ClusterSpec } from '../settings/cluster-spec';
import { GuildhallError } from '../util/errors';
import type { ProgressSink } from '../util/progress';

export interface PoolImageContext {
  docker: Dockerode;
  spec: ClusterSpec;
  /** Folder with the worker image context (Dockerfile + the bundled worker program). */
  workerContextDir: string;
  onProgress: ProgressSink;
  /** Builds shared by pools of one run (the same recipe is built once). */
  builds?: Map<string, Promise<string>>;
}

/** The image reference or tag pool `pool` runs, built or pulled when the engine lacks it. */
export async function imageForPool(pool: ClusterPool, ctx: PoolImageContext): Promise<string> {
  if (pool.kind === 'builtin') {
    const baseImage = ctx.spec.workers.baseImage;
    const key = `builtin:${baseImage}`;
    let build = ctx.builds?.get(key);
    if (!build) {
      build = ensureWorkerImage(ctx.docker, {
        contextDir: ctx.workerContextDir,
        baseImage,
        onProgress: ctx.onProgress,
      });
      ctx.builds?.set(key, build);
    }
    // The worker image first, once for every pool: the pools' own layers go on top of it.
    const workerImage = await build;
    if (pool.spec.packages.length === 0 && pool.spec.dockerfile === null) return workerImage;
    return ensurePoolImage(ctx.docker, {
      contextDir: ctx.workerContextDir,
      baseImage,
      pool: pool.name,
      packages: pool.spec.packages,
      dockerfile: pool.spec.dockerfile,
      onProgress: ctx.onProgress,
    });
  }
  if (pool.spec.image !== null) {
    try {
      await ensureImage(ctx.docker, pool.spec.image, ctx.onProgress);
    } catch (err) {
      throw poolImageError(pool.name, pool.spec.image, err);
    }
    return pool.spec.image;
  }
  const build = pool.spec.build!;
  return ensureCustomPoolImage(ctx.docker, {
    pool: pool.name,
    context: build.context,
    dockerfile: build.dockerfile,
    onProgress: ctx.onProgress,
  });
}

/** Every pool's image by pool name, the pools' builds and pulls side by side. */
export async function poolImages(
  pools: ClusterPool[],
  ctx: PoolImageContext,
): Promise<Record<string, string>> {
  const shared = { ...ctx, builds: ctx.builds ?? new Map<string, Promise<string>>() };
  const images = await Promise.all(pools.map((pool) => imageForPool(pool, shared)));
  return Object.fromEntries(pools.map((pool, i) => [pool.name, images[i]!]));
}

/** A custom pool's image that could not be had, named with its pool. */
function poolImageError(pool: string, image: string, err: unknown): GuildhallError {
  const cause = err instanceof GuildhallError ? err : null;
  return new GuildhallError(
    cause?.code ?? 'image-pull-failed',
    `Pool ${pool}: image ${image} is not on this machine and could not be pulled: ${
      (err as Error)?.message ?? String(err)
    }`,
    cause?.hint ||
      `Check the image name, build or load it (docker build -t ${image} …), or fix the pool's image in the cluster spec.`,
  );
}
