/**
 * `image load FILE` and `image build [POOL]`: get images onto an engine without a registry, and
 * build the pools' images (every pool's, or one's) before an `up` needs them.
 */
import { buildPoolImages as buildPools } from '../../images/pool-builds';
import type { Core } from '../../core';
import type { ProgressSink } from '../../util/progress';
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
      const images = await buildPoolImages(core, file, printer.sink);
      printer.finish();
      const tag = images.worker ?? null;
      io.stdout.write(
        flags.json
          ? `${JSON.stringify({ ...(tag ? { tag } : {}), images })}\n`
          : Object.entries(images)
              .map(([pool, image]) => `Pool ${pool}: image ${image} is ready.\n`)
              .join(''),
      );
      return EXIT.ok;
    }
    throw new GuildhallError(
      'invalid-input',
      `Unknown image action "${action ?? ''}".`,
      'Use `guildhall image load FILE` or `guildhall image build [POOL]`.',
    );
  } finally {
    printer.finish();
  }
}

/** Each pool's image (all pools, or the one named), by pool name. */
async function buildPoolImages(
  core: Core,
  only: string | undefined,
  onProgress: ProgressSink,
): Promise<Record<string, string>> {
  const { spec } = await core.cluster.spec();
  return buildPools(await core.images(), spec, only, onProgress);
}
