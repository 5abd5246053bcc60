import fs from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SettingsStore } from '../../main/settings/settings-store';
import { FileSecretStore, ensureRedisPassword } from '../../main/settings/secret-store';
import {
  defaultClusterSpec,
  applyEnvOverrides,
  clusterSpecSchema,
  defaultReplicas,
} from '../../main/settings/cluster-spec';
import { defaultAppDataDir } from '../../main/settings/paths';

let dir: string;
beforeEach(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'guildhall-settings-'));
});
afterEach(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

describe('cluster spec', () => {
  it('has secure, sensible defaults', () => {
    const spec = defaultClusterSpec();
    expect(spec.name).toBe('guildhall');
    expect(spec.redis.port).toBe(6379);
    expect(spec.redis.persistence).toBe('everysec');
    expect(spec.workers.replicas).toBe(Math.min(os.availableParallelism(), 4));
    expect(spec.workers.processorsDir).toBeNull();
  });

  it('caps default replicas at four and keeps at least one', () => {
    expect(defaultReplicas(16)).toBe(4);
    expect(defaultReplicas(2)).toBe(2);
    expect(defaultReplicas(0)).toBe(1);
  });

  it('rejects bad values with a message naming the field', () => {
    const result = clusterSpecSchema.safeParse({
      name: 'Bad Name!',
      workers: { replicas: 500, env: { '1-BAD': '1' } },
    });
    expect(result.success).toBe(false);
    const paths = result.error!.issues.map((i) => i.path.join('.'));
    expect(paths).toContain('name');
    expect(paths).toContain('workers.replicas');
    expect(paths.some((p) => p.startsWith('workers.env'))).toBe(true);
  });

  it('applies image overrides from the environment without touching other fields', () => {
    const spec = applyEnvOverrides(defaultClusterSpec(), {
      GUILDHALL_REDIS_IMAGE: 'local/redis:1',
      GUILDHALL_WORKER_BASE_IMAGE: 'local/node:1',
    });
    expect(spec.redis.image).toBe('local/redis:1');
    expect(spec.workers.baseImage).toBe('local/node:1');
    expect(spec.redis.port).toBe(6379);
  });
});

describe('SettingsStore', () => {
  it('writes defaults on first load and reports it as created', async () => {
    const store = new SettingsStore(dir);
    const loaded = await store.load();
    expect(loaded.created).toBe(true);
    const onDisk = JSON.parse(await fs.readFile(store.paths.settings, 'utf8'));
    expect(onDisk.cluster.name).toBe('guildhall');
    expect((await store.load()).created).toBe(false);
  });

  it('fills missing fields of a partial file from defaults', async () => {
    await fs.writeFile(
      path.join(dir, 'settings.json'),
      JSON.stringify({ cluster: { workers: { replicas: 7 } } }),
    );
    const { settings, warnings } = await new SettingsStore(dir).load();
    expect(warnings).toEqual([]);
    expect(settings.cluster.workers.replicas).toBe(7);
    expect(settings.cluster.redis.persistence).toBe('everysec');
  });

  it('keeps a corrupt file as a backup, loads defaults and tells the user', async () => {
    const file = path.join(dir, 'settings.json');
    await fs.writeFile(file, '{"cluster": {"workers": ');
    const { settings, warnings } = await new SettingsStore(dir).load();
    expect(settings.cluster.name).toBe('guildhall');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/not valid JSON/);
    const backups = (await fs.readdir(dir)).filter((f) => f.startsWith('settings.json.corrupt-'));
    expect(backups).toHaveLength(1);
    expect(await fs.readFile(path.join(dir, backups[0]!), 'utf8')).toBe('{"cluster": {"workers": ');
    expect(warnings[0]).toContain(backups[0]);
  });

  it('treats a schema violation like corruption, naming the field', async () => {
    await fs.writeFile(
      path.join(dir, 'settings.json'),
      JSON.stringify({ cluster: { redis: { port: 'six' } } }),
    );
    const { warnings } = await new SettingsStore(dir).load();
    expect(warnings[0]).toMatch(/cluster\.redis\.port/);
  });

  it('picks the first free Redis port on first load, whoever reads first', async () => {
    // Hold 6379 (unless something already does): the first settings must not take it.
    const holder = net.createServer();
    await new Promise<void>((resolve) => {
      holder.once('error', () => resolve());
      holder.listen({ port: 6379, host: '127.0.0.1', exclusive: true }, () => resolve());
    });
    try {
      const { settings } = await new SettingsStore(dir).load();
      expect(settings.cluster.redis.port).toBeGreaterThan(6379);
      expect((await new SettingsStore(dir).load()).settings.cluster.redis.port).toBe(
        settings.cluster.redis.port,
      );
    } finally {
      await new Promise((resolve) => holder.close(resolve));
    }
  });

  it('merges a partial change: objects by key, arrays and env replaced; names wrong fields', async () => {
    const store = new SettingsStore(dir);
    await store.patch({ cluster: { workers: { env: { A: '1' }, queues: ['a', 'b'] } } });
    const saved = await store.patch({
      cluster: { workers: { env: { B: '2' }, queues: ['c'], concurrency: 3 } },
    });
    expect(saved.cluster.workers).toMatchObject({ env: { B: '2' }, queues: ['c'], concurrency: 3 });
    await expect(store.patch({ cluster: { workers: { replicas: 65 } } })).rejects.toMatchObject({
      code: 'invalid-input',
      details: { fields: ['cluster.workers.replicas'] },
    });
  });

  it('refuses to save invalid settings and leaves the file as it was', async () => {
    const store = new SettingsStore(dir);
    const { settings } = await store.load();
    const before = await fs.readFile(store.paths.settings, 'utf8');
    const bad = {
      ...settings,
      cluster: { ...settings.cluster, workers: { ...settings.cluster.workers, replicas: -1 } },
    };
    await expect(store.save(bad)).rejects.toMatchObject({ code: 'settings-invalid' });
    expect(await fs.readFile(store.paths.settings, 'utf8')).toBe(before);
  });

  it('writes atomically: no temp files left and the file is private to the user', async () => {
    const store = new SettingsStore(dir);
    await store.load();
    await store.update((s) => ({ ...s, app: { ...s.app, language: 'ja' } }));
    expect((await fs.readdir(dir)).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    expect((await fs.stat(store.paths.settings)).mode & 0o777).toBe(0o600);
    expect((await store.load()).settings.app.language).toBe('ja');
  });

  it('uses GUILDHALL_HOME when set, else the per-OS folder', () => {
    expect(defaultAppDataDir({ GUILDHALL_HOME: '/tmp/gh' }, 'linux', '/home/u')).toBe('/tmp/gh');
    expect(defaultAppDataDir({}, 'linux', '/home/u')).toBe('/home/u/.config/Guildhall');
    expect(defaultAppDataDir({}, 'darwin', '/Users/u')).toBe(
      '/Users/u/Library/Application Support/Guildhall',
    );
    expect(
      defaultAppDataDir({ APPDATA: 'C:\\Users\\u\\AppData\\Roaming' }, 'win32', 'C:\\Users\\u'),
    ).toContain('Guildhall');
  });
});

describe('secrets', () => {
  it('generates one Redis password per cluster, keeps it, and stores it readable only by the user', async () => {
    const file = path.join(dir, 'secrets.json');
    const store = new FileSecretStore(file);
    const first = await ensureRedisPassword(store, 'a');
    expect(first).toMatch(/^[0-9a-f]{48}$/);
    expect(await ensureRedisPassword(new FileSecretStore(file), 'a')).toBe(first);
    expect(await ensureRedisPassword(store, 'b')).not.toBe(first);
    expect((await fs.stat(file)).mode & 0o777).toBe(0o600);
  });
});
