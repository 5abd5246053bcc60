#!/usr/bin/env node
/**
 * Bundles the worker program (resources/worker/src) into ONE file, resources/worker/dist/
 * worker-program.cjs, with bullmq, ioredis and zod inside: the worker image only needs `node`.
 * Beside it, dist/worker.cjs (resources/worker/src/entry.ts), the command the image runs: it loads
 * the program with V8's code cache that the image build writes.
 *
 * BullMQ runs sandboxed (file) processors in a forked child whose entry is its own
 * dist/cjs/classes/main.js, found next to worker.js on disk. A bundle has no such file, so a
 * patch below points BullMQ at the program file itself; the program recognises the fork by an env
 * var (see resources/worker/src/sandbox-child.ts). A second patch closes a shutdown race. The
 * build fails loudly if BullMQ's code changed shape, rather than producing a subtly broken worker.
 *
 * Usage: node scripts/build-worker.mjs   (also part of `npm run build`)
 */
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const pkg = JSON.parse(await readFile(join(root, 'package.json'), 'utf8'));
const programFile = join(root, 'resources/worker/dist/worker-program.cjs');
const entryFile = join(root, 'resources/worker/dist/worker.cjs');

/**
 * Source patches to BullMQ's CommonJS worker.js. Each must match exactly once; if BullMQ's code
 * changed shape the build stops with the reason, rather than shipping a subtly broken worker.
 */
const BULLMQ_WORKER_PATCHES = [
  {
    why: 'sandboxed processors fork the bundle itself (there is no main.js next to it)',
    find: "const spawnProcessMainFile = path.join(dirname, 'main.js');",
    replace: 'const spawnProcessMainFile = __filename;',
  },
  {
    why:
      'a closing worker must not take a job that arrives while its blocking wait is being ' +
      'torn down (it would run on a worker that is stopping, e.g. to load new processor code)',
    find: 'if (this.blockUntil <= 0 || this.blockUntil - Date.now() < 1) {',
    replace:
      'if (!this.closing && !this.paused && (this.blockUntil <= 0 || this.blockUntil - Date.now() < 1)) {',
  },
];

/** @type {import('esbuild').Plugin} */
const patchBullmqWorker = {
  name: 'guildhall-patch-bullmq-worker',
  setup(b) {
    let patched = false;
    b.onEnd((result) => {
      if (result.errors.length === 0 && !patched) {
        throw new Error(
          "bullmq's dist/cjs/classes/worker.js was not part of the bundle, so it was not " +
            'patched; update scripts/build-worker.mjs for the new BullMQ layout',
        );
      }
    });
    b.onLoad(
      { filter: /[\\/]bullmq[\\/]dist[\\/]cjs[\\/]classes[\\/]worker\.js$/ },
      async (args) => {
        let source = await readFile(args.path, 'utf8');
        for (const patch of BULLMQ_WORKER_PATCHES) {
          const count = source.split(patch.find).length - 1;
          if (count !== 1) {
            throw new Error(
              `cannot patch ${args.path} (${patch.why}): expected \`${patch.find}\` once, found it ` +
                `${count} times. BullMQ changed; update BULLMQ_WORKER_PATCHES in scripts/build-worker.mjs`,
            );
          }
          source = source.replace(patch.find, patch.replace);
        }
        patched = true;
        return { contents: source, loader: 'js' };
      },
    );
  },
};

const started = Date.now();
const common = {
  absWorkingDir: root,
  // Its paths map the @shared alias to main/shared (the worker contract lives there).
  tsconfig: join(root, 'tsconfig.node.json'),
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  legalComments: 'none',
  logLevel: 'warning',
  write: false,
};
const [program, entry] = await Promise.all([
  build({
    ...common,
    entryPoints: [join(root, 'resources/worker/src/main.ts')],
    outfile: programFile,
    // Resolve bullmq (and everything else) to its CommonJS build, which the plugin patches.
    mainFields: ['main'],
    conditions: ['require', 'node'],
    // Every worker start reads and loads this file: without comments and blanks it is smaller and
    // starts faster (compare `--version`; start-up figures live in tests/bench/REPORT.md).
    // Identifiers keep their names, so stack traces in worker logs stay readable.
    minifyWhitespace: true,
    minifySyntax: true,
    // Optional backends of bullmq that the worker never uses (they are loaded lazily).
    external: ['pg', 'redis', '@valkey/valkey-glide', 'bullmq-otel'],
    define: { __GUILDHALL_WORKER_VERSION__: JSON.stringify(pkg.version) },
    plugins: [patchBullmqWorker],
  }),
  build({
    ...common,
    entryPoints: [join(root, 'resources/worker/src/entry.ts')],
    outfile: entryFile,
  }),
]);

/**
 * Replaces a file atomically, and only when it changed: an image build or a worker reading it at
 * the same moment never sees a half-written file.
 */
async function replaceFile(result, file) {
  const output = result.outputFiles.find((candidate) => candidate.path === file);
  if (output === undefined) throw new Error(`esbuild produced no ${file}`);
  const previous = await readFile(file).catch(() => null);
  const changed = previous === null || !previous.equals(output.contents);
  if (changed) {
    await mkdir(dirname(file), { recursive: true });
    const temporary = `${file}.${process.pid}.tmp`;
    await writeFile(temporary, output.contents);
    await rename(temporary, file);
  }
  return { kib: (output.contents.length / 1024).toFixed(0), changed };
}

const written = await replaceFile(program, programFile);
// A code cache beside the old program would be taken for the new one if their lengths match (V8
// checks only the length): only the image build writes one, for the program it holds.
await rm(`${programFile}.v8cache`, { force: true });
const entryWritten = await replaceFile(entry, entryFile);
console.log(
  `worker bundle: ${programFile} (${written.kib} KiB, ${written.changed ? 'written' : 'unchanged'}) ` +
    `+ ${entryFile} (${entryWritten.changed ? 'written' : 'unchanged'}), ${Date.now() - started} ms`,
);
