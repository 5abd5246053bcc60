/**
 * Makes sure the images a cluster needs are present: pull (per-layer progress), load a tarball,
 * or — for the worker image — build it from the shipped context.
 */
import fs from 'node:fs';
import type Dockerode from 'dockerode';
import { GuildhallError } from '../util/errors';
import { noProgress, progress, type ProgressSink } from '../util/progress';
import { EngineStreamError, readEngineStream } from './engine-stream';

export interface ImageInfo {
  id: string;
  tags: string[];
  labels: Record<string, string>;
  sizeBytes: number;
  /** The user the image runs as (Config.User); empty: root. */
  user: string;
}

export async function inspectImage(docker: Dockerode, ref: string): Promise<ImageInfo | null> {
  try {
    const info = await docker.getImage(ref).inspect();
    return {
      id: info.Id,
      tags: info.RepoTags ?? [],
      labels: info.Config?.Labels ?? {},
      sizeBytes: info.Size,
      user: info.Config?.User ?? '',
    };
  } catch (err) {
    if ((err as { statusCode?: number }).statusCode === 404) return null;
    throw err;
  }
}

export async function pullImage(
  docker: Dockerode,
  ref: string,
  onProgress: ProgressSink = noProgress,
): Promise<ImageInfo> {
  progress(onProgress, 'image', ref, 'running', { message: 'pulling' });
  const layers = new Map<string, { done: number; total: number }>();
  try {
    const stream = (await docker.pull(ref)) as NodeJS.ReadableStream;
    await readEngineStream(stream, (message) => {
      if (!message.id || !message.progressDetail) return;
      const { current, total } = message.progressDetail;
      if (total) layers.set(message.id, { done: current ?? 0, total });
      if (message.status === 'Pull complete' || message.status === 'Already exists') {
        const layer = layers.get(message.id);
        if (layer) layer.done = layer.total;
      }
      let bytesDone = 0;
      let bytesTotal = 0;
      for (const layer of layers.values()) {
        bytesDone += layer.done;
        bytesTotal += layer.total;
      }
      progress(onProgress, 'image', ref, 'running', {
        item: message.id,
        message: message.status,
        bytesDone,
        bytesTotal,
      });
    });
  } catch (err) {
    const reason = err instanceof EngineStreamError ? err.message : (err as Error).message;
    progress(onProgress, 'image', ref, 'failed', { message: reason });
    throw new GuildhallError(
      'image-pull-failed',
      `Could not pull image ${ref}: ${reason}`,
      'Check the network, or load the image from a file (guildhall image load FILE), or point GUILDHALL_REDIS_IMAGE / GUILDHALL_WORKER_BASE_IMAGE at images this engine already has (scripts/build-offline-images.sh builds them from Debian packages).',
    );
  }
  const info = await inspectImage(docker, ref);
  if (!info)
    throw new GuildhallError('image-pull-failed', `Pulled ${ref} but the engine does not list it.`);
  progress(onProgress, 'image', ref, 'done', { message: 'pulled' });
  return info;
}

/** Loads images from a `docker save` tarball; returns the image references it contained. */
export async function loadImageTarball(
  docker: Dockerode,
  file: string,
  onProgress: ProgressSink = noProgress,
): Promise<string[]> {
  let size: number;
  try {
    size = fs.statSync(file).size;
  } catch {
    throw new GuildhallError(
      'image-load-failed',
      `Image file not found: ${file}`,
      'Give the path of a tarball made by `docker save`.',
    );
  }
  progress(onProgress, 'image', file, 'running', {
    message: 'loading',
    bytesDone: 0,
    bytesTotal: size,
  });
  const loaded: string[] = [];
  try {
    const input = fs.createReadStream(file);
    let sent = 0;
    input.on('data', (chunk) => {
      sent += chunk.length;
      progress(onProgress, 'image', file, 'running', {
        message: 'loading',
        bytesDone: sent,
        bytesTotal: size,
      });
    });
    const stream = (await docker.loadImage(input, { quiet: true })) as NodeJS.ReadableStream;
    await readEngineStream(stream, (message) => {
      const match = /Loaded image(?: ID)?: (\S+)/.exec(message.stream ?? '');
      if (match?.[1]) loaded.push(match[1]);
    });
  } catch (err) {
    progress(onProgress, 'image', file, 'failed', { message: (err as Error).message });
    throw new GuildhallError(
      'image-load-failed',
      `Could not load images from ${file}: ${(err as Error).message}`,
      'Make sure the file is a tarball written by `docker save` (or `podman save --format docker-archive`).',
    );
  }
  progress(onProgress, 'image', file, 'done', { message: `loaded ${loaded.join(', ')}` });
  return loaded;
}

/** Returns the image, pulling it if the engine does not have it. */
export async function ensureImage(
  docker: Dockerode,
  ref: string,
  onProgress: ProgressSink = noProgress,
): Promise<ImageInfo> {
  const existing = await inspectImage(docker, ref);
  if (existing) {
    progress(onProgress, 'image', ref, 'skipped', { message: 'present' });
    return existing;
  }
  return pullImage(docker, ref, onProgress);
}
