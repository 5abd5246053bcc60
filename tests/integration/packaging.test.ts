/**
 * Packages the app with electron-builder (Linux, unpacked "dir" target) from the real
 * electron-builder.yml, offline: Electron's own binary is replaced by a stub folder, which is all
 * electron-builder needs for this target. Checks what users get: the built code inside
 * app.asar (and no sources), the worker image context and tray icons beside it, the update feed,
 * and the Electron fuses flipped in the executable (the stub carries a fuse wire set the way
 * Electron ships it, so the flip is real and read back with @electron/fuses).
 */
import { execFile, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import asar from '@electron/asar';
import { FuseV1Options, getCurrentFuseWire } from '@electron/fuses';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TRAY_ICON_KINDS, trayIconPath } from '../../main/electron/tray-icons';

const run = promisify(execFile);
/** Electron's fuse wire marker and fuse states ('0' off, '1' on), as @electron/fuses reads them. */
const SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX';
const FuseState = { DISABLE: 0x30, ENABLE: 0x31 } as const;
const root = path.resolve(import.meta.dirname, '..', '..');
const electronVersion = (
  JSON.parse(
    fs.readFileSync(path.join(root, 'node_modules', 'electron', 'package.json'), 'utf8'),
  ) as {
    version: string;
  }
).version;

const BUILT = [
  'out/main/index.js',
  'out/preload/index.cjs',
  'out/renderer/index.html',
  'resources/worker/dist/worker.cjs',
  'resources/worker/dist/worker-program.cjs',
];

let work: string;
let unpacked: string;
let resources: string;
let entries: string[];

beforeAll(async () => {
  // `npm test` builds first; a bare `vitest run` builds what is missing.
  if (BUILT.some((file) => !fs.existsSync(path.join(root, file)))) {
    execFileSync('npm', ['run', 'build'], { cwd: root, stdio: 'inherit' });
  }
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'ghshell-package-'));
  const electronDist = path.join(work, 'electron-dist');
  fs.mkdirSync(electronDist);
  // Electron's fuse wire as shipped: the sentinel, wire version 1, eight fuses (RunAsNode on,
  // cookie encryption off, NODE_OPTIONS on, --inspect on, ASAR integrity off, only-ASAR off,
  // browser V8 snapshot off, file:// privileges on).
  const fuseWire = Buffer.concat([
    Buffer.from(SENTINEL),
    Buffer.from([1, 8]),
    Buffer.from('10110001'),
  ]);
  fs.writeFileSync(
    path.join(electronDist, 'electron'),
    Buffer.concat([
      Buffer.from('#!/bin/sh\necho "stub electron"\nexit 0\n# '),
      fuseWire,
      Buffer.from('\n'),
    ]),
    { mode: 0o755 },
  );
  const output = path.join(work, 'release');

  await run(
    'npx',
    [
      'electron-builder',
      '--linux',
      'dir',
      '--config',
      'electron-builder.yml',
      '--publish',
      'never',
      `-c.electronDist=${electronDist}`,
      `-c.electronVersion=${electronVersion}`,
      `-c.directories.output=${output}`,
    ],
    {
      cwd: root,
      env: { ...process.env, CI: 'true' },
      maxBuffer: 32 * 1024 * 1024,
      timeout: 170_000,
    },
  );
  unpacked = path.join(output, 'linux-unpacked');
  resources = path.join(unpacked, 'resources');
  entries = asar
    .listPackage(path.join(resources, 'app.asar'), { isPack: false })
    .map((e) => e.split(path.sep).join('/'));
}, 240_000);

afterAll(() => {
  if (work) fs.rmSync(work, { recursive: true, force: true });
});

describe('electron-builder --linux dir', () => {
  it('names the executable after the app', () => {
    const exe = path.join(unpacked, 'guildhall');
    expect(fs.statSync(exe).mode & 0o111).not.toBe(0);
  });

  it('puts the built main, preload and renderer in app.asar, with the entry package.json points at', () => {
    for (const file of [
      '/out/main/index.js',
      '/out/main/cli.js',
      '/out/preload/index.cjs',
      '/out/renderer/index.html',
    ])
      expect(entries).toContain(file);
    expect(entries.some((e) => /^\/out\/renderer\/assets\/.+\.js$/.test(e))).toBe(true);
    const pkg = JSON.parse(
      asar.extractFile(path.join(resources, 'app.asar'), 'package.json').toString('utf8'),
    ) as {
      main: string;
      version: string;
    };
    expect(entries).toContain(`/${pkg.main}`);
    const html = asar
      .extractFile(path.join(resources, 'app.asar'), 'out/renderer/index.html')
      .toString('utf8');
    expect(html).toContain('Content-Security-Policy');
  });

  it('ships the runtime dependencies, electron-updater included, but no Electron, dev tools or sources', () => {
    for (const dep of ['dockerode', 'bullmq', 'ioredis', 'zod', 'electron-updater'])
      expect(entries, dep).toContain(`/node_modules/${dep}/package.json`);
    for (const devOnly of ['electron', 'electron-builder', 'vitest', 'typescript', 'svelte'])
      expect(entries, devOnly).not.toContain(`/node_modules/${devOnly}/package.json`);
    const sources = entries.filter(
      (e) =>
        /^\/(main|preload|renderer|tests|scripts|resources)\//.test(e) ||
        e.endsWith('.map') ||
        /^\/(tsconfig.*\.json|electron-builder\.yml|vitest\.config\.ts|electron\.vite\.config\.ts)$/.test(
          e,
        ),
    );
    expect(sources).toEqual([]);
  });

  it('puts the worker image context beside the app: Dockerfile, init and the bundled worker only', () => {
    const worker = path.join(resources, 'worker');
    expect(fs.readFileSync(path.join(worker, 'Dockerfile'), 'utf8')).toMatch(/^FROM /m);
    expect(fs.readFileSync(path.join(worker, 'init.sh'), 'utf8')).toMatch(/^#!\/bin\/sh/);
    expect(fs.readdirSync(path.join(worker, 'dist')).sort()).toEqual([
      'worker-program.cjs',
      'worker.cjs',
    ]);
    expect(fs.statSync(path.join(worker, 'dist', 'worker-program.cjs')).size).toBeGreaterThan(
      100_000,
    );
    expect(fs.existsSync(path.join(worker, 'src'))).toBe(false);
  });

  it('puts every tray icon the app loads, on every platform, and the window icon in resources/icons', () => {
    const icons = path.join(resources, 'icons');
    for (const kind of TRAY_ICON_KINDS) {
      for (const platform of ['linux', 'win32', 'darwin'] as const) {
        const file = trayIconPath(icons, kind, platform);
        expect(fs.existsSync(file), file).toBe(true);
      }
    }
    expect(fs.existsSync(path.join(icons, 'app', 'icon-256.png'))).toBe(true);
    expect(fs.existsSync(path.join(icons, 'src'))).toBe(false);
  });

  it('writes the update feed electron-updater reads', () => {
    const feed = fs.readFileSync(path.join(resources, 'app-update.yml'), 'utf8');
    expect(feed).toMatch(/^provider: generic$/m);
    expect(feed).toMatch(/^url: https:\/\//m);
  });

  it('flips the Electron fuses: no run-as-node, NODE_OPTIONS or inspect; only app.asar, checked', async () => {
    const wire = await getCurrentFuseWire(path.join(unpacked, 'guildhall'));
    const state = (fuse: FuseV1Options) => wire[fuse];
    expect(state(FuseV1Options.RunAsNode)).toBe(FuseState.DISABLE);
    expect(state(FuseV1Options.EnableNodeOptionsEnvironmentVariable)).toBe(FuseState.DISABLE);
    expect(state(FuseV1Options.EnableNodeCliInspectArguments)).toBe(FuseState.DISABLE);
    expect(state(FuseV1Options.GrantFileProtocolExtraPrivileges)).toBe(FuseState.DISABLE);
    expect(state(FuseV1Options.EnableEmbeddedAsarIntegrityValidation)).toBe(FuseState.ENABLE);
    expect(state(FuseV1Options.OnlyLoadAppFromAsar)).toBe(FuseState.ENABLE);
    expect(state(FuseV1Options.EnableCookieEncryption)).toBe(FuseState.ENABLE);
  });
});
