/**
 * A custom pool's build context read from the host: every regular file under the folder (by
 * path inside it), the hash of all of them (the image's tag follows it, so an unchanged folder
 * is never rebuilt), and the Dockerfile checked to be there, inside the folder.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { GuildhallError } from '../util/errors';

/** The most a context may hold: the engine receives all of it at every build. */
export const MAX_CONTEXT_BYTES = 512 * 1024 * 1024;

export interface BuildContext {
  files: Map<string, Buffer>;
  /** The Dockerfile's path inside the context, with "/" separators. */
  dockerfile: string;
  hash: string;
}

async function walk(root: string, dir: string, out: Map<string, Buffer>, size: { bytes: number }) {
  const entries = await fs.readdir(dir, { withFileTypes: true });
  for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) await walk(root, full, out, size);
    else if (entry.isFile()) {
      const content = await fs.readFile(full);
      size.bytes += content.length;
      if (size.bytes > MAX_CONTEXT_BYTES) {
        throw new GuildhallError(
          'invalid-input',
          `The build context ${root} holds more than ${MAX_CONTEXT_BYTES / 1024 / 1024} MiB.`,
          'Point build.context at a folder with only what the image needs.',
        );
      }
      out.set(path.relative(root, full).split(path.sep).join('/'), content);
    }
  }
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
  await walk(contextDir, contextDir, files, { bytes: 0 });
  const key = inside.split(path.sep).join('/');
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
