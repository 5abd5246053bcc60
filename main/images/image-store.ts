/**
 * The engine's images as the layers above use them: look one up, pull one, load a `docker save`
 * tarball, make sure the cluster's images are there (building the worker image and the pools'
 * images). Holds the
 * engine client so that code above main/cluster never does.
 */
import type Dockerode from 'dockerode';
import type { ProgressSink } from '../util/progress';
import { ensureImage, inspectImage, loadImageTarball, pullImage, type ImageInfo } from './images';
import { ensureWorkerImage } from './worker-image';
import { pushImage } from './image-push';
import type { ClusterPool } from '../settings/cluster-spec';
import {
  ensureCustomPoolImage,
  ensureImageOfPool,
  ensurePoolImage,
  plannedImageOfPool,
  type CustomPoolBuildOptions,
} from './pool-image';

export class ImageStore {
  constructor(
    private readonly docker: Dockerode,
    /** Folder with the worker image context (Dockerfile + the bundled worker program). */
    private readonly workerContextDir: string,
  ) {}

  /** The image, or null when the engine does not have it. */
  inspect(ref: string): Promise<ImageInfo | null> {
    return inspectImage(this.docker, ref);
  }

  pull(ref: string, onProgress?: ProgressSink): Promise<ImageInfo> {
    return pullImage(this.docker, ref, onProgress);
  }

  /** Loads a tarball made by `docker save`; returns the image names it held. */
  load(file: string, onProgress?: ProgressSink): Promise<string[]> {
    return loadImageTarball(this.docker, file, onProgress);
  }

  /** Tags local image `ref` under `registry` and pushes it; returns the pushed reference. */
  push(ref: string, registry: string, onProgress?: ProgressSink): Promise<string> {
    return pushImage(this.docker, ref, registry, onProgress);
  }

  /** The image, pulled when missing. */
  ensure(ref: string, onProgress?: ProgressSink): Promise<ImageInfo> {
    return ensureImage(this.docker, ref, onProgress);
  }

  /** The worker image's tag, built on `baseImage` when missing. */
  ensureWorker(baseImage: string, onProgress?: ProgressSink): Promise<string> {
    return ensureWorkerImage(this.docker, {
      contextDir: this.workerContextDir,
      baseImage,
      ...(onProgress ? { onProgress } : {}),
    });
  }

  /**
   * A built-in pool's image: the worker image on `baseImage`, plus its Debian `packages` and its
   * `dockerfile` (host path) when it has them; built once per recipe.
   */
  ensurePoolImage(
    pool: string,
    recipe: { baseImage: string; packages: readonly string[]; dockerfile: string | null },
    onProgress?: ProgressSink,
  ): Promise<string> {
    return ensurePoolImage(this.docker, {
      contextDir: this.workerContextDir,
      pool,
      ...recipe,
      ...(onProgress ? { onProgress } : {}),
    });
  }

  /** A custom pool's image built from `build: { context, dockerfile }`, tagged by the context. */
  ensureCustomPoolImage(options: CustomPoolBuildOptions): Promise<string> {
    return ensureCustomPoolImage(this.docker, options);
  }

  /** The image any pool runs (built-in, custom image, or custom build), made ready. */
  ensurePoolImageOf(
    pool: ClusterPool,
    baseImage: string,
    onProgress?: ProgressSink,
  ): Promise<string> {
    return ensureImageOfPool(this.docker, {
      contextDir: this.workerContextDir,
      baseImage,
      pool,
      ...(onProgress ? { onProgress } : {}),
    });
  }

  /**
   * The image a pool will run and whether `up` must build or pull it first; builds nothing, but
   * checks the recipe (package names, Dockerfile there) as a build would.
   */
  planPoolImage(
    pool: ClusterPool,
    baseImage: string,
  ): Promise<{ ref: string | null; build: boolean; pull?: boolean }> {
    return plannedImageOfPool(this.docker, {
      contextDir: this.workerContextDir,
      baseImage,
      pool,
    });
  }
}
