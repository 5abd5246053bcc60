/**
 * What every export (compose, Kubernetes…) hands back: the files it writes, relative to one
 * folder, some holding secrets, and warnings. One writer for all kinds: secret files 0600 in
 * folders of 0700, owned — when written as root — by the uid of the containers that read them;
 * one preview rule: a secret's value never leaves in a preview.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { WORKER_USER } from '@shared/worker-contract';

/** A file an export writes. */
export interface ExportFile {
  /** Relative to the export's folder (the folder of the main file, the first one). */
  path: string;
  content: string;
  /** Holds a secret: written 0600, never shown in a preview. */
  secret: boolean;
  /** The uid that must own it (the containers reading it), when written as root. */
  owner?: number;
}

export interface ExportBundle {
  /** The main file first (compose.yaml…). */
  files: ExportFile[];
  /** Things the user must know or do before the files run (an image not built yet…). */
  warnings: string[];
}

/** The bundle with every secret's value left out: what a preview shows. */
export function withoutSecretValues(bundle: ExportBundle): ExportBundle {
  return {
    ...bundle,
    files: bundle.files.map((f) => (f.secret ? { ...f, content: '' } : f)),
  };
}

/**
 * Writes the bundle into `dir`. Secrets go in 0700 folders, each file 0600. Run as root, each is
 * given to the uid of the containers reading it (compose bind-mounts secret files as they are:
 * the workers, uid 1000, could not read root's 0600 files, nor could a custom pool's root without
 * capabilities read the workers'); run as a user, they are that user's. Returns the paths written.
 */
export async function writeExportBundle(dir: string, bundle: ExportBundle): Promise<string[]> {
  const [workerUid, workerGid] = WORKER_USER.split(':').map(Number) as [number, number];
  const asRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  const written: string[] = [];
  for (const file of bundle.files) {
    const target = path.join(dir, file.path);
    const folder = path.dirname(target);
    if (file.secret) {
      await fs.mkdir(folder, { recursive: true, mode: 0o700 });
      await fs.chmod(folder, 0o700);
      // Replaced, not rewritten in place: a file made by someone else keeps no other mode.
      await fs.rm(target, { force: true });
      await fs.writeFile(target, file.content, { mode: 0o600 });
      if (asRoot) await fs.chown(target, file.owner ?? workerUid, file.owner ?? workerGid);
    } else {
      await fs.mkdir(folder, { recursive: true });
      await fs.writeFile(target, file.content);
    }
    written.push(target);
  }
  return written;
}
