/**
 * The engine's images as the layers above use them: look one up, pull one, load a `docker save`
 * tarball, make sure the cluster's images are there (building the worker image). Holds the
 * engine client so that code above main/cluster never does.
 */
import type Dockerode from 'dockerode';
import type { ProgressSink } from '../util/progress';
import { ensureImage, inspectImage, loadImageTarball, pullImage, type ImageInfo } from './images';
import { ensureWorkerImage } from './worker-image';

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
}
