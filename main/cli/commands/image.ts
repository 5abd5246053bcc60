/** `image load FILE` and `image build`: get images onto an engine without a registry. */
import { loadImageTarball } from '../../images/images';
import { ensureWorkerImage } from '../../images/worker-image';
import type { Core } from '../../core';
import { GuildhallError } from '../../util/errors';
import { EXIT } from '../exit-codes';
import type { CliIO } from '../io';
import { createProgressPrinter } from '../progress-printer';

export async function imageCommand(
  core: Core,
  io: CliIO,
  positionals: string[],
  flags: { json?: boolean; plain?: boolean },
): Promise<number> {
  const [action, file] = positionals;
  const mode = flags.json ? 'json' : io.stderr.isTTY && !flags.plain ? 'tty' : 'plain';
  const printer = createProgressPrinter(io.stderr, mode);
  try {
    if (action === 'load') {
      if (!file)
        throw new GuildhallError(
          'invalid-input',
          'image load needs a file.',
          'Example: guildhall image load redis.tar',
        );
      const { docker } = await core.engine();
      const loaded = await loadImageTarball(docker, file, printer.sink);
      printer.finish();
      io.stdout.write(
        flags.json ? `${JSON.stringify({ loaded })}\n` : `Loaded ${loaded.join(', ')}\n`,
      );
      return EXIT.ok;
    }
    if (action === 'build') {
      const { docker } = await core.engine();
      const { spec } = await core.cluster.spec();
      const tag = await ensureWorkerImage(docker, {
        contextDir: core.workerContextDir,
        baseImage: spec.workers.baseImage,
        onProgress: printer.sink,
      });
      printer.finish();
      io.stdout.write(
        flags.json ? `${JSON.stringify({ tag })}\n` : `Worker image ${tag} is ready.\n`,
      );
      return EXIT.ok;
    }
    throw new GuildhallError(
      'invalid-input',
      `Unknown image action "${action ?? ''}".`,
      'Use `guildhall image load FILE` or `guildhall image build`.',
    );
  } finally {
    printer.finish();
  }
}
