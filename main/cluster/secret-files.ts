/**
 * Writes Redis's config and the password into the cluster's run volume (RUN_DIR) through the
 * engine's archive API, into the Redis container before it starts: never in a container's env,
 * command line or inspect output. Workers mount the same volume read-only.
 */
import path from 'node:path';
import type Dockerode from 'dockerode';
import tar from 'tar-stream';
import { RUN_DIR } from './worker-contract';

export interface SecretFile {
  /** Absolute path inside the container, under RUN_DIR. */
  path: string;
  content: string;
  mode: number;
  uid?: number;
  gid?: number;
}

/**
 * RUN_DIR's own mode: Redis may run as an unprivileged user (official images drop to `redis`)
 * and must create its socket there; the sticky bit keeps anyone from replacing another's files.
 */
const RUN_DIR_MODE = 0o1777;

async function tarOf(files: SecretFile[]): Promise<Buffer> {
  const pack = tar.pack();
  const dir = path.posix.relative('/', RUN_DIR);
  pack.entry({ name: `${dir}/`, type: 'directory', mode: RUN_DIR_MODE, uid: 0, gid: 0 });
  for (const file of files) {
    const name = path.posix.relative('/', file.path);
    pack.entry({ name, mode: file.mode, uid: file.uid ?? 0, gid: file.gid ?? 0 }, file.content);
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
  await container.putArchive(await tarOf(files), { path: '/' });
}
