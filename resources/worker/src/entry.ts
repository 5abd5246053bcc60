/**
 * The command a worker container runs (`node /opt/guildhall/worker.cjs [args]`, bundled to
 * dist/worker.cjs): loads the worker program (dist/worker-program.cjs, some 2 MB with bullmq,
 * ioredis and zod) with V8's code cache for it, when there is one, then runs it with the same
 * arguments.
 *
 * Compiling the program is a large share of a worker's start-up (compare `--version` with and
 * without the cache; start-up figures live in tests/bench/REPORT.md), and a worker starts often: every `up` and scale-up, after a crash, to load
 * changed processor files, and for each healthcheck. The worker image writes the cache when it
 * is built (`--write-code-cache`, a RUN step), with the very node that will read it. A cache that
 * is missing, or that V8 rejects (another node, other flags), only means compiling as usual; so
 * does failing to write one. GUILDHALL_CODE_CACHE_REPORT=1 says on stderr which it was.
 *
 * BullMQ's sandboxed processors fork the program file itself, not this one (see
 * scripts/build-worker.mjs).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import Module, { createRequire } from 'node:module';
import path from 'node:path';
import vm from 'node:vm';

const WRITE_CODE_CACHE = '--write-code-cache';

const program = path.join(__dirname, 'worker-program.cjs');
const cacheFile = `${program}.v8cache`;

function readCache(): Buffer | undefined {
  try {
    return readFileSync(cacheFile);
  } catch {
    return undefined;
  }
}

const writing = process.argv[2] === WRITE_CODE_CACHE;
// The cache is written after the program's modules have loaded, which `--version` does in full.
if (writing) process.argv.splice(2, 1, '--version');

const cachedData = writing ? undefined : readCache();
const script = new vm.Script(Module.wrap(readFileSync(program, 'utf8')), {
  filename: program,
  cachedData,
  // Dynamic import() inside the program resolves as it would in a file Node loaded itself (Node
  // 20.12+; the program's only import() runs in BullMQ's sandbox child, which loads the program
  // file directly, so older nodes lose nothing).
  importModuleDynamically: (vm.constants as Partial<typeof vm.constants> | undefined)
    ?.USE_MAIN_CONTEXT_DEFAULT_LOADER,
});
if (process.env.GUILDHALL_CODE_CACHE_REPORT === '1' && !writing) {
  const verdict =
    cachedData === undefined ? 'missing' : script.cachedDataRejected ? 'rejected' : 'accepted';
  process.stderr.write(`code cache: ${verdict}\n`);
}
const programModule = new Module(program, module);
programModule.filename = program;
programModule.paths = (
  Module as unknown as { _nodeModulePaths(dir: string): string[] }
)._nodeModulePaths(__dirname);
const run = script.runInThisContext() as (
  exports: unknown,
  require: NodeJS.Require,
  module: Module,
  filename: string,
  dirname: string,
) => void;
run.call(
  programModule.exports,
  programModule.exports,
  createRequire(program),
  programModule,
  program,
  __dirname,
);
if (writing) {
  try {
    writeFileSync(cacheFile, script.createCachedData(), { mode: 0o644 });
  } catch (err) {
    process.stderr.write(
      `guildhall worker: no code cache written (${(err as Error).message}); ` +
        'workers will start a little slower\n',
    );
  }
}
