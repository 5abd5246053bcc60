#!/usr/bin/env node
/**
 * Bundles the CLI (main/cli/index.ts) into out/main/cli.js plus lazily loaded chunks beside it,
 * with its dependencies inside. A command-line tool pays its start-up on every call: resolving
 * and reading some 400 files from node_modules delayed the first engine request noticeably
 * (tests/bench/REPORT.md); one bundle reads a handful. Dependencies load when first used: dockerode's BuildKit session
 * support (gRPC) only if a BuildKit build is started, which Guildhall never does, and ssh2 only
 * for an ssh:// engine.
 *
 * Runs after `electron-vite build` (which empties out/main), as part of `npm run build`.
 * Usage: node scripts/build-cli.mjs
 */
import { spawnSync } from 'node:child_process';
import { readFile, readdir, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const pkg = JSON.parse(await readFile(join(root, 'package.json'), 'utf8'));
const outdir = join(root, 'out/main');

/** Packages dockerode loads at start-up but uses only for BuildKit sessions. */
const LOADED_ON_FIRST_USE = /^@grpc\/(grpc-js|proto-loader)$/;

/** @type {import('esbuild').Plugin} */
const loadOnFirstUse = {
  name: 'guildhall-load-on-first-use',
  setup(b) {
    b.onResolve({ filter: LOADED_ON_FIRST_USE }, (args) =>
      // The stand-in's own require is the real package, left to Node at run time.
      args.namespace === 'on-first-use'
        ? { path: args.path, external: true }
        : { path: args.path, namespace: 'on-first-use' },
    );
    b.onLoad({ filter: /.*/, namespace: 'on-first-use' }, (args) => ({
      contents:
        `let loaded;\n` +
        `const load = () => (loaded ??= require(${JSON.stringify(args.path)}));\n` +
        `module.exports = new Proxy({}, { get: (_target, key) => load()[key] });\n`,
      resolveDir: root,
    }));
  },
};

/**
 * docker-modem loads ssh2 (half a megabyte, with its crypto set-up) when it is loaded, for
 * ssh:// engine hosts only. This patch loads it when an ssh connection is first made. Like the
 * worker's patches it must match exactly, or the build stops.
 */
const DOCKER_MODEM_SSH_PATCHES = [
  {
    find: "var Client = require('ssh2').Client,\n  http = require('http');",
    replace:
      "var http = require('http');\nvar Client = function () { return require('ssh2').Client; };",
  },
  { find: 'var conn = new Client();', replace: 'var conn = new (Client())();' },
];

/** @type {import('esbuild').Plugin} */
const loadSshOnFirstUse = {
  name: 'guildhall-load-ssh-on-first-use',
  setup(b) {
    b.onLoad({ filter: /[\\/]docker-modem[\\/]lib[\\/]ssh\.js$/ }, async (args) => {
      let source = (await readFile(args.path, 'utf8')).replace(/\r\n/g, '\n');
      for (const patch of DOCKER_MODEM_SSH_PATCHES) {
        const count = source.split(patch.find).length - 1;
        if (count !== 1) {
          throw new Error(
            `cannot patch ${args.path}: expected \`${patch.find}\` once, found it ${count} times; ` +
              'docker-modem changed, update DOCKER_MODEM_SSH_PATCHES in scripts/build-cli.mjs',
          );
        }
        source = source.replace(patch.find, patch.replace);
      }
      return { contents: source, loader: 'js' };
    });
  },
};

// CommonJS dependencies inside an ES module bundle still expect require and __dirname.
const banner = [
  "import { createRequire as __guildhallCreateRequire } from 'node:module';",
  "import { fileURLToPath as __guildhallFileURLToPath } from 'node:url';",
  "import { dirname as __guildhallDirname } from 'node:path';",
  'const require = __guildhallCreateRequire(import.meta.url);',
  'const __filename = __guildhallFileURLToPath(import.meta.url);',
  'const __dirname = __guildhallDirname(__filename);',
].join('\n');

const started = Date.now();
// Chunks of an earlier build would otherwise pile up beside the new ones.
for (const name of await readdir(outdir).catch(() => [])) {
  if (/^cli-[\w-]+\.js$/.test(name)) await rm(join(outdir, name));
}
const result = await build({
  absWorkingDir: root,
  // Its paths map the @shared alias to main/shared.
  tsconfig: join(root, 'tsconfig.node.json'),
  entryPoints: { cli: join(root, 'main/cli/index.ts') },
  outdir,
  // Chunks sit beside cli.js, so paths resolved from import.meta.url are the same in all of them.
  chunkNames: 'cli-[hash]',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  // Native add-ons and optional accelerators stay outside; their users fall back without them.
  external: ['electron', 'cpu-features', '*.node', 'bufferutil', 'utf-8-validate'],
  define: { __GUILDHALL_VERSION__: JSON.stringify(pkg.version) },
  plugins: [loadOnFirstUse, loadSshOnFirstUse],
  banner: { js: banner },
  legalComments: 'none',
  logLevel: 'warning',
  metafile: true,
});
// A bundle can be valid JavaScript and still fail to load (e.g. a name the banner declares twice):
// load it once, so a broken CLI fails the build rather than a user.
const smoke = spawnSync(process.execPath, [join(outdir, 'cli.js'), '--version'], {
  encoding: 'utf8',
});
if (smoke.status !== 0) {
  throw new Error(`the CLI bundle does not run: ${smoke.stderr || smoke.stdout}`);
}
const files = Object.keys(result.metafile.outputs).length;
console.log(`cli bundle: out/main/cli.js + ${files - 1} chunk(s) (${Date.now() - started} ms)`);
