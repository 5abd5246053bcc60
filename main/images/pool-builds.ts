/**
 * Building the pools' images ahead of `up`, one pool or all of them: the one rule that the CLI's
 * `image build [POOL]` and the console's per-pool build (API `images.buildPool`) both follow,
 * including the not-found error that names the cluster's pools.
 */
import { clusterPools, type ClusterSpec } from '../settings/cluster-spec';
import { GuildhallError } from '../util/errors';
import type { ProgressSink } from '../util/progress';
import type { ImageStore } from './image-store';

/** Each chosen pool's image (every pool's when `only` is undefined), by pool name. */
export async function buildPoolImages(
  images: ImageStore,
  spec: ClusterSpec,
  only: string | undefined,
  onProgress: ProgressSink,
): Promise<Record<string, string>> {
  const pools = clusterPools(spec);
  const chosen = only === undefined ? pools : pools.filter((p) => p.name === only);
  if (chosen.length === 0) {
    throw new GuildhallError(
      'not-found',
      `No pool "${only}" in cluster ${spec.name}.`,
      `Its pools are: ${pools.map((p) => p.name).join(', ')}.`,
    );
  }
  const built: Record<string, string> = {};
  // One after another: builds share the worker image, and the engine builds one at a time best.
  for (const pool of chosen) {
    built[pool.name] = await images.ensurePoolImageOf(pool, spec.workers.baseImage, onProgress);
  }
  return built;
}
