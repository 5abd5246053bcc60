/**
 * Whether pulling an image can work from here, so a fix never offers a pull that cannot: an
 * image built on this machine (scripts/build-offline-images.sh makes `guildhall-offline/…`;
 * Podman names local builds `localhost/…`; an image id) exists in no registry, and a registry
 * whose name does not resolve is out of reach (an offline host).
 */
import { lookup } from 'node:dns/promises';

/** The prefix of the images scripts/build-offline-images.sh builds. */
export const OFFLINE_IMAGE_PREFIX = 'guildhall-offline/';
const DOCKER_HUB_REGISTRY = 'registry-1.docker.io';
const LOOKUP_TIMEOUT_MS = 1_500;

/** True for images that exist only where they were built. */
export function isLocalOnlyImage(ref: string): boolean {
  return (
    ref.startsWith(OFFLINE_IMAGE_PREFIX) ||
    ref.startsWith('localhost/') ||
    /^(sha256:)?[0-9a-f]{12,64}$/.test(ref)
  );
}

/** The registry host an image reference names (Docker Hub when it names none). */
export function registryOf(ref: string): string {
  const first = ref.split('/')[0] ?? '';
  const hasHost = ref.includes('/') && (first.includes('.') || first.includes(':'));
  return hasHost ? first.replace(/:\d+$/, '') : DOCKER_HUB_REGISTRY;
}

/** Whether the image's registry name resolves within a moment (false on an offline host). */
export async function registryReachable(
  ref: string,
  resolve: (host: string) => Promise<unknown> = lookup,
): Promise<boolean> {
  const timeout = new Promise<false>((done) => setTimeout(() => done(false), LOOKUP_TIMEOUT_MS));
  const answer = resolve(registryOf(ref)).then(
    () => true,
    () => false,
  );
  return Promise.race([answer, timeout]);
}
