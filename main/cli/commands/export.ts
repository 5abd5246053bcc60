/**
 * `export compose [--out FILE] [--registry R]`: the cluster in force as a compose file for
 * `docker compose`, `docker-compose` and `docker stack deploy`, with its secrets in files beside
 * it (main/export/compose-export.ts). Without --out the compose file goes to stdout and no secret
 * file is written (the file then names secrets the user must provide). Other kinds (kubernetes)
 * plug in here by name.
 */
import type { Core } from '../../core';
import {
  composeExport,
  DEFAULT_COMPOSE_FILE,
  writeExportBundle,
} from '../../export/compose-export';
import { GuildhallError } from '../../util/errors';
import { EXIT } from '../exit-codes';
import type { CliIO } from '../io';

export async function runExport(
  core: Core,
  io: CliIO,
  positionals: string[],
  flags: { json?: boolean; out?: string; registry?: string },
): Promise<number> {
  const [kind] = positionals;
  if (kind !== 'compose') {
    throw new GuildhallError(
      'invalid-input',
      `Unknown export "${kind ?? ''}".`,
      'Use `guildhall export compose [--out FILE] [--registry REGISTRY]`.',
    );
  }
  const out = flags.out;
  const bundle = await composeExport(core, {
    registry: flags.registry ?? null,
    fileName: out ? out.split(/[\\/]/).pop()! : DEFAULT_COMPOSE_FILE,
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
  const written = await writeExportBundle(out, bundle);
  io.stdout.write(
    flags.json
      ? `${JSON.stringify({ files: written, warnings: bundle.warnings })}\n`
      : `Wrote ${written[0]}, its Swarm additions ${written[1]} and ${
          written.length - 2
        } secret file(s) beside them (mode 0600).\n`,
  );
  return EXIT.ok;
}
