/**
 * Writes Redis's config and the password into the cluster's run volume (RUN_DIR) through the
 * engine's archive API, into the Redis container before it starts: never in a container's env,
 * command line or inspect output. Workers mount the same volume read-only.
 *
 * The archive goes to RUN_DIR itself, the volume's mount point, with names relative to it: Docker
 * resolves every entry through the container's mounts, but Podman maps only the destination
 * path, so entries addressed from "/" would land in the container's own filesystem, under the
 * volume.
 */
import path from 'node:path';
import type Dockerode from 'dockerode';
import tar from 'tar-stream';
import { REDIS_SOCKET_DIR, RUN_DIR } from '@shared/worker-contract';

export interface SecretFile {
  /** Absolute path inside the container, under RUN_DIR. */
  path: string;
  content: string;
  mode: number;
}

/**
 * Redis may run as an unprivileged user (official images drop to `redis`) and must create its
 * socket: the socket folder is writable by anyone, sticky so nobody replaces another's files.
 * (The volume's own root keeps the engine's mode: an archive cannot change it.)
 */
const SOCKET_DIR_MODE = 0o1777;

function relativeToRunDir(file: string): string {
  const relative = path.posix.relative(RUN_DIR, file);
  if (relative.startsWith('..') || path.posix.isAbsolute(relative)) {
    throw new Error(`${file} is not under ${RUN_DIR}`);
  }
  return relative;
}

/** The archive putSecretFiles writes at RUN_DIR (exported for tests). */
export async function runDirArchive(files: SecretFile[]): Promise<Buffer> {
  const pack = tar.pack();
  pack.entry({
    name: `${relativeToRunDir(REDIS_SOCKET_DIR)}/`,
    type: 'directory',
    mode: SOCKET_DIR_MODE,
    uid: 0,
    gid: 0,
  });
  for (const file of files) {
    pack.entry(
      { name: relativeToRunDir(file.path), mode: file.mode, uid: 0, gid: 0 },
      file.content,
    );
  }
  pack.finalize();
  const chunks: Buffer[] = [];
  for await (const chunk of pack) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

export async function putSecretFiles(
  container: Dockerode.Container,
  files: SecretFile[],
): Promise<void> {
  await container.putArchive(await runDirArchive(files), { path: RUN_DIR });
}
