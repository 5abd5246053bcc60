/**
 * `image push REGISTRY`: puts the images a cluster runs into a registry, so an exported cluster
 * (compose on another machine, a Swarm, Kubernetes) can pull them. Each local image is tagged
 * `REGISTRY/<its name without registry>:<its tag>` and pushed; the engine's own credentials for
 * that registry apply (none are read or sent by Guildhall: a registry that asks for a login is
 * pushed to with `docker push` after the tag, see the hint).
 */
import type Dockerode from 'dockerode';
import { GuildhallError } from '../util/errors';
import { noProgress, progress, type ProgressSink } from '../util/progress';
import { EngineStreamError, readEngineStream } from './engine-stream';
import { inspectImage } from './images';

/** A registry reference: host[:port] with an optional path, e.g. registry.example.com:5000/team. */
const REGISTRY_PATTERN = /^[a-z0-9]([a-z0-9.-]*[a-z0-9])?(:\d{1,5})?(\/[a-z0-9._-]+)*$/;

export function assertRegistry(registry: string): void {
  if (!REGISTRY_PATTERN.test(registry)) {
    throw new GuildhallError(
      'invalid-input',
      `"${registry}" is not a registry: give its host, port and optional path, without a scheme.`,
      'Example: guildhall image push registry.example.com:5000/team',
    );
  }
}

/** Whether the first part of an image reference names a registry host (docker's rule). */
function hasRegistryHost(ref: string): boolean {
  const slash = ref.indexOf('/');
  if (slash < 0) return false;
  const first = ref.slice(0, slash);
  return first.includes('.') || first.includes(':') || first === 'localhost';
}

/** `ref` under `registry`: guildhall/worker:abc → REGISTRY/guildhall/worker:abc. */
export function registryRef(ref: string, registry: string): string {
  const path = hasRegistryHost(ref) ? ref.slice(ref.indexOf('/') + 1) : ref;
  return `${registry.replace(/\/+$/, '')}/${path}`;
}

/** Splits `repo:tag` (the tag after the last ":" not inside the registry's host:port). */
function repoAndTag(ref: string): { repo: string; tag: string } {
  const at = ref.lastIndexOf(':');
  if (at > ref.lastIndexOf('/')) return { repo: ref.slice(0, at), tag: ref.slice(at + 1) };
  return { repo: ref, tag: 'latest' };
}

/** Tags local image `ref` under `registry` and pushes it; returns the pushed reference. */
export async function pushImage(
  docker: Dockerode,
  ref: string,
  registry: string,
  onProgress: ProgressSink = noProgress,
): Promise<string> {
  assertRegistry(registry);
  if (!(await inspectImage(docker, ref))) {
    throw new GuildhallError(
      'image-missing',
      `Image ${ref} is not on this engine, so it cannot be pushed.`,
      "Build the pools' images first: guildhall image build",
    );
  }
  const target = registryRef(ref, registry);
  const { repo, tag } = repoAndTag(target);
  await docker.getImage(ref).tag({ repo, tag });
  progress(onProgress, 'image', target, 'running', { message: 'pushing' });
  try {
    const stream = (await docker.getImage(target).push({ tag })) as NodeJS.ReadableStream;
    await readEngineStream(stream, (message) => {
      if (message.status) {
        progress(onProgress, 'image', target, 'running', {
          ...(message.id ? { item: message.id } : {}),
          message: message.status,
        });
      }
    });
  } catch (err) {
    const reason = err instanceof EngineStreamError ? err.message : (err as Error).message;
    progress(onProgress, 'image', target, 'failed', { message: reason });
    throw new GuildhallError(
      'image-push-failed',
      `Could not push ${target}: ${reason}`,
      `Check that the registry ${registry} is reachable from the engine and accepts pushes (an HTTP registry must be listed in the engine's insecure-registries); a registry that needs a login: docker login, then docker push ${target} (the tag is made).`,
    );
  }
  progress(onProgress, 'image', target, 'done', { message: 'pushed' });
  return target;
}
