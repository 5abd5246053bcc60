/**
 * `export kubernetes [--namespace NS] [--keda] [--registry R] [--out DIR]`: the cluster as Kubernetes manifests
 * (export/kubernetes-export.ts). Without --out the documents print as one YAML stream (for
 * `| kubectl apply -f -`); with it, one file per object goes into DIR, readable by the user only
 * (the Secrets' values are base64, not encrypted). DIR must be new, empty or hold only an earlier
 * export's files, which are replaced, so no stale object is applied and nothing else is lost.
 * Warnings (what could not travel) go to stderr.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { exportStream, type ExportFile } from '../../export/kubernetes-export';
import { exportClusterToKubernetes } from '../../export/kubernetes-source';
import { GuildhallError } from '../../util/errors';
import { EXIT } from '../exit-codes';
import type { CliIO } from '../io';
import type { Core } from '../../core';

/** An exported file's name: `NN-kind-name.yaml`. */
const EXPORTED_FILE = /^\d{2}-[a-z]+-[a-z0-9.-]+\.yaml$/;

export interface ExportKubernetesFlags {
  namespace?: string;
  /** Name the built images under this registry (after `guildhall image push REGISTRY`). */
  registry?: string;
  keda?: boolean;
  out?: string;
}

/** Refuses a folder holding anything but an earlier export's files; returns those. */
async function previousExport(dir: string): Promise<string[]> {
  let names: string[];
  try {
    names = await fs.readdir(dir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw new GuildhallError(
      'invalid-input',
      `${dir} cannot be read as a folder: ${(err as Error).message}`,
      'Give --out a new or empty folder.',
    );
  }
  const foreign = names.filter((name) => !EXPORTED_FILE.test(name));
  if (foreign.length > 0) {
    throw new GuildhallError(
      'invalid-input',
      `${dir} holds files that are not from a Guildhall export (${foreign.slice(0, 3).join(', ')}); nothing was written.`,
      'Give --out a new or empty folder, or the folder of an earlier `guildhall export kubernetes`.',
    );
  }
  return names;
}

async function writeExport(dir: string, files: readonly ExportFile[]): Promise<void> {
  const stale = await previousExport(dir);
  await fs.mkdir(dir, { recursive: true, mode: 0o700 });
  for (const name of stale) await fs.rm(path.join(dir, name));
  for (const file of files) {
    await fs.writeFile(path.join(dir, file.path), file.content, { mode: 0o600 });
  }
}

export async function exportKubernetesCommand(
  core: Core,
  io: CliIO,
  flags: ExportKubernetesFlags,
): Promise<number> {
  const result = await exportClusterToKubernetes(core, {
    namespace: flags.namespace ?? null,
    keda: flags.keda === true,
    registry: flags.registry ?? null,
  });
  if (flags.out) {
    const dir = path.resolve(flags.out);
    await writeExport(dir, result.files);
    io.stderr.write(
      `Wrote ${result.files.length} files to ${dir}. They hold the cluster's secrets (base64, not encrypted): keep them private.\n` +
        `Apply with: kubectl apply -f ${dir}\n`,
    );
  } else {
    io.stdout.write(exportStream(result.files));
  }
  for (const warning of result.warnings) io.stderr.write(`warning: ${warning}\n`);
  return EXIT.ok;
}
