/**
 * `export compose [--out FILE] [--registry R]`: the cluster in force as a compose file for
 * `docker compose`, `docker-compose` and `docker stack deploy`, with its secrets in files beside
 * it (main/export/compose-export.ts). Without --out the compose file goes to stdout and no secret
 * file is written (the file then names secrets the user must provide). Other kinds plug in by
 * name (export/exporters.ts); `--namespace` and `--keda` are the Kubernetes export's, whose
 * `--out` is a folder.
 */
import type { Core } from '../../core';
import path from 'node:path';
import { exportKubernetesCommand } from './export-kubernetes';
import { exportKindSchema } from '@shared/schemas/export';
import { writeExportBundle } from '../../export/export-bundle';
import { exporterOf } from '../../export/exporters';
import { GuildhallError } from '../../util/errors';
import { EXIT } from '../exit-codes';
import type { CliIO } from '../io';

export async function runExport(
  core: Core,
  io: CliIO,
  positionals: string[],
  flags: { json?: boolean; out?: string; registry?: string; namespace?: string; keda?: boolean },
): Promise<number> {
  const kind = exportKindSchema.safeParse(positionals[0]);
  if (!kind.success) {
    throw new GuildhallError(
      'invalid-input',
      `Unknown export "${positionals[0] ?? ''}".`,
      'Use `guildhall export compose [--out FILE] [--registry REGISTRY]` or `guildhall export kubernetes [--namespace NS] [--keda] [--out DIR]`.',
    );
  }
  // Kubernetes writes one file per object into a folder it keeps to itself (export-kubernetes.ts).
  if (kind.data === 'kubernetes') return exportKubernetesCommand(core, io, flags);
  const out = flags.out;
  const exporter = exporterOf(kind.data);
  const bundle = await exporter.run(core, {
    registry: flags.registry ?? null,
    ...(flags.namespace ? { namespace: flags.namespace } : {}),
    ...(flags.keda ? { keda: true } : {}),
    ...(out && !exporter.outIsFolder ? { fileName: path.basename(out) } : {}),
  });
  for (const warning of bundle.warnings) io.stderr.write(`warning: ${warning}\n`);
  if (!out) {
    io.stdout.write(bundle.files[0]!.content);
    const secrets = bundle.files.filter((f) => f.secret).map((f) => f.path);
    if (secrets.length) {
      io.stderr.write(
        `note: the file names secret files (${secrets.join(', ')}); --out FILE writes them beside it.\n`,
      );
    }
    return EXIT.ok;
  }
  const plain = bundle.files.filter((f) => !f.secret);
  const dir = exporter.outIsFolder ? path.resolve(out) : path.dirname(path.resolve(out));
  const written = await writeExportBundle(dir, bundle);
  io.stdout.write(
    flags.json
      ? `${JSON.stringify({ files: written, warnings: bundle.warnings })}\n`
      : `Wrote ${plain.map((f) => f.path).join(', ')} and ${
          bundle.files.length - plain.length
        } secret file(s) (mode 0600) in ${path.dirname(written[0]!)}.\n`,
  );
  return EXIT.ok;
}
