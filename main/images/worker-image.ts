/**
 * Builds the worker image from the context shipped in resources/worker (Dockerfile + the bundled
 * worker program) on top of a configurable base image. The tag is derived from the context's
 * content and the base image id, so a new worker program or base gives a new tag and the
 * reconciler rolls the workers; an unchanged one is never rebuilt.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import type Dockerode from 'dockerode';
import { GuildhallError } from '../util/errors';
import { noProgress, progress, type ProgressSink } from '../util/progress';
import { buildImage, ImageBuildError } from './image-build';
import { ensureImage, inspectImage } from './images';

export const WORKER_IMAGE_REPO = 'guildhall/worker';
/** Files of the context that go into the image; the bundles are made by `npm run build`. */
export const WORKER_CONTEXT_FILES = [
  'Dockerfile',
  'init.sh',
  'dist/worker.cjs',
  'dist/worker-program.cjs',
] as const;

export interface WorkerContext {
  dir: string;
  files: Map<string, Buffer>;
}

export async function readWorkerContext(dir: string): Promise<WorkerContext> {
  const files = new Map<string, Buffer>();
  for (const name of WORKER_CONTEXT_FILES) {
    try {
      files.set(name, await fs.readFile(path.join(dir, name)));
    } catch {
      throw new GuildhallError(
        'image-build-failed',
        `The worker image context is incomplete: ${path.join(dir, name)} is missing.`,
        'Run `npm run build` in the Guildhall folder (it bundles the worker program), or reinstall Guildhall.',
      );
    }
  }
  return { dir, files };
}

export function workerImageTag(context: WorkerContext, baseImageId: string): string {
  const hash = createHash('sha256');
  hash.update(baseImageId);
  for (const [name, content] of [...context.files].sort(([a], [b]) => a.localeCompare(b))) {
    hash.update(name).update('\0').update(content);
  }
  return `${WORKER_IMAGE_REPO}:${hash.digest('hex').slice(0, 12)}`;
}

export interface EnsureWorkerImageOptions {
  contextDir: string;
  baseImage: string;
  onProgress?: ProgressSink;
}

/** Returns the worker image tag, building it when the engine does not have it yet. */
export async function ensureWorkerImage(
  docker: Dockerode,
  options: EnsureWorkerImageOptions,
): Promise<string> {
  const onProgress = options.onProgress ?? noProgress;
  const context = await readWorkerContext(options.contextDir);
  const base = await ensureImage(docker, options.baseImage, onProgress);
  const tag = workerImageTag(context, base.id);
  if (await inspectImage(docker, tag)) {
    progress(onProgress, 'image', tag, 'skipped', { message: 'present' });
    return tag;
  }
  progress(onProgress, 'image', tag, 'running', { message: `building on ${options.baseImage}` });
  try {
    await buildImage(docker, {
      files: context.files,
      tag,
      buildargs: { BASE_IMAGE: options.baseImage },
      labels: { 'io.guildhall.base-image': options.baseImage },
      onProgress,
    });
  } catch (err) {
    const reason = err instanceof ImageBuildError ? err.reason : (err as Error).message;
    progress(onProgress, 'image', tag, 'failed', { message: reason });
    throw new GuildhallError(
      'image-build-failed',
      `Could not build the worker image on ${options.baseImage}: ${reason}`,
      'Check that the base image has a Node.js ≥ 20 binary as `node` on PATH, or choose another base image in Settings.',
    );
  }
  if (!(await inspectImage(docker, tag))) {
    throw new GuildhallError(
      'image-build-failed',
      `The engine reported a successful build, but ${tag} is missing.`,
    );
  }
  progress(onProgress, 'image', tag, 'done', { message: 'built' });
  return tag;
}
