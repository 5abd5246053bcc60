/**
 * `guildhall config` from the built CLI: settings a CLI-only user needs (the processors folder,
 * the offline images) are set for good, validated, and an invalid value saves nothing. Also the
 * CLI's answers where nothing exists yet: `down --volumes` on an absent cluster, `scale 999`.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './helpers/run-cli';

let home: string;
let env: NodeJS.ProcessEnv;
const settingsFile = () => path.join(home, 'settings.json');
const readSettings = async () => JSON.parse(await fs.readFile(settingsFile(), 'utf8'));

beforeAll(async () => {
  home = await fs.mkdtemp(path.join(os.tmpdir(), 'ghtest-config-'));
  env = { ...process.env, GUILDHALL_HOME: home };
  // No override in force, so `config get` shows only the saved values.
  delete env.GUILDHALL_REDIS_IMAGE;
  delete env.GUILDHALL_WORKER_BASE_IMAGE;
});
afterAll(async () => {
  await fs.rm(home, { recursive: true, force: true });
  await fs.rm(`${home}-processors`, { recursive: true, force: true });
});

describe('guildhall config', () => {
  it('sets the processors folder for good, as an absolute path, once it exists', async () => {
    const missing = await runCli(['config', 'set', 'workers.processorsDir', './no-such-folder'], {
      ...env,
    });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/folder \S*no-such-folder does not exist/);
    expect(missing.stderr).toMatch(/ fix: Create it first/);
    expect((await readSettings()).cluster.workers.processorsDir).toBeNull();

    // Beside Guildhall's folder, not inside it (the settings rules refuse that).
    const folder = `${home}-processors`;
    await fs.mkdir(folder);
    await fs.writeFile(path.join(folder, 'resize.mjs'), 'export default async (job) => job.data;');
    const set = await runCli(['config', 'set', 'workers.processorsDir', folder], env);
    expect(set.code).toBe(0);
    expect(set.stdout).toBe(`workers.processorsDir = ${folder}\n`);
    expect((await readSettings()).cluster.workers.processorsDir).toBe(folder);

    const got = await runCli(['config', 'get', 'workers.processorsDir', '--json'], env);
    expect(JSON.parse(got.stdout)).toEqual({ 'workers.processorsDir': folder });

    const unset = await runCli(['config', 'unset', 'workers.processorsDir'], env);
    expect(unset.code).toBe(0);
    expect((await readSettings()).cluster.workers.processorsDir).toBeNull();
  });

  it('sets the offline images for good; an environment override is named where it applies', async () => {
    for (const [key, image] of [
      ['redis.image', 'guildhall-offline/redis:bookworm'],
      ['workers.baseImage', 'guildhall-offline/node:bookworm'],
    ]) {
      const set = await runCli(['config', 'set', key!, image!], env);
      expect(set.code).toBe(0);
    }
    const settings = await readSettings();
    expect(settings.cluster.redis.image).toBe('guildhall-offline/redis:bookworm');
    expect(settings.cluster.workers.baseImage).toBe('guildhall-offline/node:bookworm');

    const all = await runCli(['config', 'get'], env);
    expect(all.stdout).toContain('redis.image = guildhall-offline/redis:bookworm\n');
    expect(all.stdout).toContain('workers.baseImage = guildhall-offline/node:bookworm\n');
    const overridden = await runCli(['config', 'get', 'redis.image'], {
      ...env,
      GUILDHALL_REDIS_IMAGE: 'other/redis:1',
    });
    expect(overridden.stdout).toBe(
      'redis.image = guildhall-offline/redis:bookworm  (GUILDHALL_REDIS_IMAGE=other/redis:1 overrides it in this shell)\n',
    );
  });

  it('lets http jobs reach private networks for good, as true or false', async () => {
    const set = await runCli(['config', 'set', 'workers.allowPrivateNetworks', 'true'], env);
    expect(set.code).toBe(0);
    const saved = JSON.parse(await fs.readFile(settingsFile(), 'utf8')) as {
      cluster: { workers: { allowPrivateNetworks: boolean } };
    };
    expect(saved.cluster.workers.allowPrivateNetworks).toBe(true);
    expect((await runCli(['config', 'unset', 'workers.allowPrivateNetworks'], env)).code).toBe(0);
  });

  it('refuses invalid values and unknown keys with exit 2, saving nothing', async () => {
    const before = await fs.readFile(settingsFile(), 'utf8');
    for (const args of [
      ['workers.concurrency', '0'],
      ['workers.concurrency', 'many'],
      ['redis.persistence', 'sometimes'],
      ['redis.image', 'redis 7'],
      ['workers.replicas', '3'],
      ['workers.allowPrivateNetworks', 'yes'],
    ]) {
      const result = await runCli(['config', 'set', ...args], env);
      expect(result.code, args.join(' ')).toBe(2);
      expect(result.stderr, args.join(' ')).toMatch(/^guildhall: .+\n {2}fix: .+\n$/);
    }
    expect(await fs.readFile(settingsFile(), 'utf8')).toBe(before);
    const usage = await runCli(['config', 'set', 'workers.concurrency'], env);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain('config needs get [KEY], set KEY VALUE or unset KEY.');
  });
});

describe('CLI answers when there is nothing to act on', () => {
  it('down --volumes on an absent cluster does not claim it deleted data', async () => {
    const name = `ghtest-${randomBytes(3).toString('hex')}`;
    await runCli(['config', 'get'], env);
    const settings = await readSettings();
    settings.cluster.name = name;
    await fs.writeFile(settingsFile(), JSON.stringify(settings));
    const result = await runCli(['down', '--volumes'], env);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(
      'No containers of the cluster were there; there was no Redis data to delete.\n',
    );
    expect(result.stderr).not.toMatch(/redis-data removed/);
    // The engine's progress names the step once.
    expect(result.stderr).toContain('✔ engine connected');
    expect(result.stderr).not.toContain('engine engine');

    // Nor does connect hand out a URL for a cluster that has no Redis.
    const connect = await runCli(['connect'], env);
    expect(connect.code).toBe(6);
    expect(connect.stdout).toBe('');
    expect(connect.stderr).toMatch(
      /has no Redis yet[^\n]*\n {2}fix: Start it first: guildhall up\n$/,
    );
  });

  it('scale 999 is a usage error with a fix line', async () => {
    const result = await runCli(['scale', '999'], env);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(
      'guildhall: worker count must be a whole number from 0 to 64 (got "999").\n  fix: Example: guildhall scale 4 (0–64 workers)\n',
    );
  });
});
