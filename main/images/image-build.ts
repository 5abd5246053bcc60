/**
 * One image build through the engine, as every image Guildhall builds needs it: a context
 * tarball in, the build log streamed as progress, and on failure the last lines of that log in
 * the error (an apt failure says which package it could not find only there).
 */
import { Readable } from 'node:stream';
import type Dockerode from 'dockerode';
import tar from 'tar-stream';
import { progress, type ProgressSink } from '../util/progress';
import { EngineStreamError, readEngineStream } from './engine-stream';

/** Lines of the build log an error carries. */
export const BUILD_LOG_TAIL_LINES = 15;

export interface BuildRequest {
  /** Files of the context, by path inside it. */
  files: Map<string, Buffer>;
  tag: string;
  /** The Dockerfile's path inside the context. */
  dockerfile?: string;
  buildargs?: Record<string, string>;
  labels?: Record<string, string>;
  onProgress: ProgressSink;
}

/** A build the engine refused or that failed in a step; `logTail` is the end of its log. */
export class ImageBuildError extends Error {
  constructor(
    readonly reason: string,
    readonly logTail: string[],
  ) {
    super(reason);
  }
}

export async function contextTarball(files: Map<string, Buffer>): Promise<Buffer> {
  const pack = tar.pack();
  for (const [name, content] of files) pack.entry({ name, mode: 0o644 }, content);
  pack.finalize();
  const chunks: Buffer[] = [];
  for await (const chunk of pack) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** Builds `request.tag`; throws ImageBuildError with the log's tail when it fails. */
export async function buildImage(docker: Dockerode, request: BuildRequest): Promise<void> {
  const tail: string[] = [];
  try {
    const stream = await docker.buildImage(Readable.from(await contextTarball(request.files)), {
      t: request.tag,
      ...(request.dockerfile ? { dockerfile: request.dockerfile } : {}),
      buildargs: request.buildargs ?? {},
      labels: { 'io.guildhall.managed': 'true', ...request.labels },
      rm: true,
      forcerm: true,
      // Podman keeps an untagged image per build step for its layer cache, left behind in
      // `podman images -a`; without layers it commits only the final image. Docker ignores it.
      layers: false,
    } as Dockerode.ImageBuildOptions);
    await readEngineStream(stream, (message) => {
      for (const raw of (message.stream ?? '').split('\n')) {
        const line = raw.trimEnd();
        if (!line.trim()) continue;
        tail.push(line);
        if (tail.length > BUILD_LOG_TAIL_LINES) tail.shift();
        progress(request.onProgress, 'image', request.tag, 'running', { message: line.trim() });
      }
    });
  } catch (err) {
    const reason = err instanceof EngineStreamError ? err.message : (err as Error).message;
    throw new ImageBuildError(reason, tail);
  }
}
