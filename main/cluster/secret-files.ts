/**
 * Puts the Redis password (and Redis's config) into a container before it starts, through the
 * engine's archive API, so it never appears in the container's env, command line or inspect output.
 */
import path from 'node:path';
import type Dockerode from 'dockerode';
import tar from 'tar-stream';
import { SECRET_DIR } from './worker-contract';

export interface SecretFile {
  /** Absolute path inside the container, under SECRET_DIR. */
  path: string;
  content: string;
  mode: number;
}

export interface FileOwner {
  uid: number;
  gid: number;
}

async function tarOf(files: SecretFile[], owner: FileOwner): Promise<Buffer> {
  const pack = tar.pack();
  const dir = path.posix.relative('/', SECRET_DIR);
  pack.entry({ name: `${dir}/`, type: 'directory', mode: 0o755, uid: 0, gid: 0 });
  for (const file of files) {
    const name = path.posix.relative('/', file.path);
    pack.entry({ name, mode: file.mode, uid: owner.uid, gid: owner.gid }, file.content);
  }
  pack.finalize();
  const chunks: Buffer[] = [];
  for await (const chunk of pack) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

export async function putSecretFiles(
  container: Dockerode.Container,
  files: SecretFile[],
  owner: FileOwner = { uid: 0, gid: 0 },
): Promise<void> {
  const archive = await tarOf(files, owner);
  await container.putArchive(archive, { path: '/' });
}
