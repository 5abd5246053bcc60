/**
 * `image load FILE` and `image build [POOL]`: get images onto an engine without a registry, and
 * build the pools' images (every pool's, or one's) before an `up` needs them. `image push
 * REGISTRY`: every pool's image (built first when missing) tagged under REGISTRY and pushed, for
 * an exported cluster (`export compose --registry REGISTRY`) on machines that lack the images.
 */
import { buildPoolImages as buildPools } from '../../images/pool-builds';
import type { Core } from '../../core';
import type { ProgressSink } from '../../util/progress';
import { assertRegistry } from '../../images/image-push';
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
    if (action === 'push') {
      if (!file)
        throw new GuildhallError(
          'invalid-input',
          'image push needs a registry.',
          'Example: guildhall image push registry.example.com:5000/team',
        );
      assertRegistry(file);
      const images = await buildPoolImages(core, undefined, printer.sink);
      const store = await core.images();
      const pushed: Record<string, string> = {};
      // Pools sharing an image (the worker image) push it once.
      const done = new Map<string, string>();
      for (const [pool, image] of Object.entries(images)) {
        const target = done.get(image) ?? (await store.push(image, file, printer.sink));
        done.set(image, target);
        pushed[pool] = target;
      }
      printer.finish();
      io.stdout.write(
        flags.json
          ? `${JSON.stringify({ pushed })}\n`
          : Object.entries(pushed)
              .map(([pool, image]) => `Pool ${pool}: pushed ${image}.\n`)
              .join('') +
              `Export with: guildhall export compose --registry ${file} --out compose.yaml\n`,
      );
      return EXIT.ok;
    }
    throw new GuildhallError(
      'invalid-input',
      `Unknown image action "${action ?? ''}".`,
      'Use `guildhall image load FILE`, `guildhall image build [POOL]` or `guildhall image push REGISTRY`.',
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
