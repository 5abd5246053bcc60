/** `image load FILE` and `image build`: get images onto an engine without a registry. */
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
      const loaded = await (await core.images()).load(file, printer.sink);
      printer.finish();
      io.stdout.write(
        flags.json ? `${JSON.stringify({ loaded })}\n` : `Loaded ${loaded.join(', ')}\n`,
      );
      return EXIT.ok;
    }
    if (action === 'build') {
      const images = await core.images();
      const { spec } = await core.cluster.spec();
      const tag = await images.ensureWorker(spec.workers.baseImage, printer.sink);
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
