/**
 * A custom pool's build context read from the host: every regular file under the folder (by
 * path inside it) that the folder's `.dockerignore` does not leave out (dockerignore.ts: what
 * `docker build` would send; the Dockerfile and `.dockerignore` are always sent, as docker
 * does), the hash of all of them (the image's tag follows it, so an unchanged folder — or a
 * change only to ignored files — is never rebuilt), and the Dockerfile checked to be there,
 * inside the folder.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { GuildhallError } from '../util/errors';
import { NOTHING_IGNORED, parseDockerIgnore, type DockerIgnore } from './dockerignore';

/** The most a context may hold: the engine receives all of it at every build. */
export const MAX_CONTEXT_BYTES = 512 * 1024 * 1024;

export interface BuildContext {
  files: Map<string, Buffer>;
  /** The Dockerfile's path inside the context, with "/" separators. */
  dockerfile: string;
  hash: string;
}

interface Walk {
  root: string;
  out: Map<string, Buffer>;
  size: { bytes: number };
  ignore: DockerIgnore;
  /** Sent whatever `.dockerignore` says: the Dockerfile and `.dockerignore` itself. */
  always: ReadonlySet<string>;
}

async function walk(dir: string, w: Walk): Promise<void> {
  const entries = await fs.readdir(dir, { withFileTypes: true });
  for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
    const full = path.join(dir, entry.name);
    const relative = path.relative(w.root, full).split(path.sep).join('/');
    const excluded = !w.always.has(relative) && w.ignore.excludes(relative);
    if (entry.isDirectory()) {
      if (!excluded || !w.ignore.canSkip(relative)) await walk(full, w);
    } else if (entry.isFile() && !excluded) {
      const content = await fs.readFile(full);
      w.size.bytes += content.length;
      if (w.size.bytes > MAX_CONTEXT_BYTES) {
        throw new GuildhallError(
          'invalid-input',
          `The build context ${w.root} holds more than ${MAX_CONTEXT_BYTES / 1024 / 1024} MiB.`,
          'Point build.context at a folder with only what the image needs, or leave files out with a .dockerignore.',
        );
      }
      w.out.set(relative, content);
    }
  }
}

/** The context's `.dockerignore`, or nothing ignored when it has none. */
async function readIgnore(contextDir: string): Promise<DockerIgnore> {
  const text = await fs.readFile(path.join(contextDir, '.dockerignore'), 'utf8').catch(() => null);
  return text === null ? NOTHING_IGNORED : parseDockerIgnore(text);
}

export async function readBuildContext(
  pool: string,
  contextDir: string,
  dockerfile: string,
): Promise<BuildContext> {
  const stat = await fs.stat(contextDir).catch(() => null);
  if (!stat?.isDirectory()) {
    throw new GuildhallError(
      'invalid-input',
      `The build context of pool "${pool}" is not a folder: ${contextDir}`,
      'Correct build.context (in a cluster file, paths are relative to the file).',
    );
  }
  const inside = path.relative(contextDir, path.resolve(contextDir, dockerfile));
  if (inside.startsWith('..') || path.isAbsolute(inside)) {
    throw new GuildhallError(
      'invalid-input',
      `The Dockerfile of pool "${pool}" (${dockerfile}) is outside its build context ${contextDir}.`,
      'Give build.dockerfile as a path inside build.context (default: Dockerfile).',
    );
  }
  const files = new Map<string, Buffer>();
  const key = inside.split(path.sep).join('/');
  await walk(contextDir, {
    root: contextDir,
    out: files,
    size: { bytes: 0 },
    ignore: await readIgnore(contextDir),
    always: new Set([key, '.dockerignore']),
  });
  if (!files.has(key)) {
    throw new GuildhallError(
      'invalid-input',
      `The Dockerfile of pool "${pool}" is missing: ${path.join(contextDir, inside)}`,
      'Create it, or set build.dockerfile to its path inside build.context.',
    );
  }
  const hash = createHash('sha256');
  for (const [name, content] of files) hash.update(name).update('\0').update(content).update('\0');
  return { files, dockerfile: key, hash: hash.digest('hex') };
}
