/**
 * The settings' safety rules as every face meets them: through the settings schema (which the
 * API's settings.update and `guildhall config set` validate with) and SettingsStore.save.
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isOutsideHome } from '../../main/shared/schemas/settings';
import { settingsSchema, type Settings } from '../../main/settings/settings-schema';
import { SettingsStore } from '../../main/settings/settings-store';

let dir: string;
let store: SettingsStore;
beforeEach(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'guildhall-rules-'));
  store = new SettingsStore(path.join(dir, 'Guildhall'));
});
afterEach(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

function withWorkers(patch: Partial<Settings['cluster']['workers']>, pinned: string | null = null) {
  const base = settingsSchema.parse({});
  return {
    ...base,
    engine: { pinned },
    cluster: { ...base.cluster, workers: { ...base.cluster.workers, ...patch } },
  };
}

/** The issues the schema reports, as `path: message`. */
function issues(value: unknown): string[] {
  const result = settingsSchema.safeParse(value);
  return result.success ? [] : result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
}

describe('processors folder', () => {
  it('refuses the file system root, the home folder and Guildhall’s own folder', () => {
    const refused: [string, RegExp][] = [
      ['/', /is the root of the file system/],
      [os.homedir(), /is your home folder/],
      [path.join(dir, 'Guildhall'), /Guildhall's own folder/],
      [path.join(dir, 'Guildhall', 'logs'), /Guildhall's own folder/],
      [dir, /holds or is inside Guildhall's own folder/], // would mount secrets.json too
    ];
    for (const [folder, reason] of refused) {
      const found = issues(withWorkers({ processorsDir: folder }));
      expect(found, folder).toHaveLength(1);
      expect(found[0]).toMatch(/^cluster\.workers\.processorsDir: /);
      expect(found[0]).toMatch(reason);
    }
  });

  it('accepts a folder of its own, inside or outside the home folder', () => {
    expect(issues(withWorkers({ processorsDir: path.join(dir, 'processors') }))).toEqual([]);
    expect(issues(withWorkers({ processorsDir: path.join(os.homedir(), 'jobs') }))).toEqual([]);
  });

  it('tells the console when a folder lies outside the home folder', () => {
    expect(isOutsideHome('/home/u/jobs', '/home/u')).toBe(false);
    expect(isOutsideHome('/home/u', '/home/u/')).toBe(false);
    expect(isOutsideHome('/home/user2/jobs', '/home/u')).toBe(true);
    expect(isOutsideHome('/srv/jobs', '/home/u')).toBe(true);
    expect(isOutsideHome('c:\\Users\\U\\jobs', 'C:\\Users\\u')).toBe(false);
    expect(isOutsideHome('D:\\jobs', 'C:\\Users\\u')).toBe(true);
  });
});

describe('worker env', () => {
  it('reserves names that change how the worker runs, with the reason', () => {
    const env = {
      NODE_OPTIONS: '--require /x.js',
      NODE_PATH: '/x',
      LD_PRELOAD: '/x.so',
      LD_LIBRARY_PATH: '/x',
      GUILDHALL_QUEUES: 'x',
      PATH: '/x',
    };
    const found = issues(withWorkers({ env }));
    expect(found).toHaveLength(Object.keys(env).length);
    expect(found).toContain(
      "cluster.workers.env.NODE_OPTIONS: NODE_OPTIONS is reserved: it changes how the worker program itself runs (pass it per job in a shell job's env instead)",
    );
    expect(found).toContain(
      'cluster.workers.env.GUILDHALL_QUEUES: GUILDHALL_QUEUES is reserved: Guildhall sets GUILDHALL_* itself',
    );
  });

  it('accepts ordinary names', () => {
    expect(
      issues(withWorkers({ env: { API_URL: 'x', NODE_ENV: 'production', TZ: 'UTC' } })),
    ).toEqual([]);
  });
});

describe('pool env (issue 14)', () => {
  function withPools(pools: Record<string, unknown>) {
    const base = settingsSchema.parse({});
    return { ...base, cluster: { ...base.cluster, pools } };
  }

  it('reserves the same names in a built-in pool as in the default one', () => {
    const found = issues(
      withPools({ tools: { env: { NODE_OPTIONS: '--require /x.js', API_URL: 'x' } } }),
    );
    expect(found).toEqual([
      "cluster.pools.tools.env.NODE_OPTIONS: NODE_OPTIONS is reserved: it changes how the worker program itself runs (pass it per job in a shell job's env instead)",
    ]);
  });

  it('leaves a custom pool its own runtime and GUILDHALL_ names, but not GUILDHALL_REDIS_*', () => {
    const found = issues(
      withPools({
        celery: {
          image: 'my-celery:latest',
          env: {
            PATH: '/opt/bin:/usr/bin',
            LD_LIBRARY_PATH: '/opt/lib',
            GUILDHALL_QUEUES: 'q=echo',
            GUILDHALL_REDIS_URL_FILE: '/tmp/x',
          },
          redisUrlEnv: 'GUILDHALL_REDIS_HOST',
        },
      }),
    );
    expect(found).toEqual([
      'cluster.pools.celery.env.GUILDHALL_REDIS_URL_FILE: GUILDHALL_REDIS_URL_FILE is reserved: Guildhall sets GUILDHALL_REDIS_* itself, to say where Redis is',
      'cluster.pools.celery.redisUrlEnv: GUILDHALL_REDIS_HOST is reserved: Guildhall sets GUILDHALL_REDIS_* itself, to say where Redis is',
    ]);
    expect(
      issues(
        withPools({ celery: { image: 'my-celery:latest', redisUrlEnv: 'CELERY_BROKER_URL' } }),
      ),
    ).toEqual([]);
  });
});

describe('pinned engine', () => {
  it('refuses plain TCP to another machine and accepts TLS, loopback and sockets', () => {
    for (const pinned of [
      'tcp://10.0.0.5:2375',
      '192.168.1.9:2375',
      'http://docker.example:2375',
    ]) {
      const found = issues(withWorkers({}, pinned));
      expect(found, pinned).toHaveLength(1);
      expect(found[0]).toMatch(/^engine\.pinned: .* over plain TCP.*use TLS/);
    }
    for (const pinned of [
      'tcp://127.0.0.1:2375',
      'tcp://localhost:2375',
      'tcp://docker.example:2376',
      'https://10.0.0.5:2376',
      'unix:///var/run/docker.sock',
    ]) {
      expect(issues(withWorkers({}, pinned)), pinned).toEqual([]);
    }
  });
});

describe('settings store', () => {
  it('refuses to save a broken rule, naming the field and the fix', async () => {
    await expect(store.save(withWorkers({ processorsDir: '/' }))).rejects.toThrow(
      /cluster\.workers\.processorsDir: \/ is the root of the file system.*Choose a folder holding only your processor files/,
    );
  });

  it('still loads a file saved before a rule existed, with a warning naming what to change', async () => {
    const old = withWorkers({ processorsDir: '/', env: { NODE_OPTIONS: '--inspect' } });
    await fs.mkdir(store.paths.root, { recursive: true });
    await fs.writeFile(store.paths.settings, JSON.stringify(old));
    const loaded = await store.load();
    expect(loaded.settings.cluster.workers.processorsDir).toBe('/');
    expect(loaded.warnings).toHaveLength(1);
    expect(loaded.warnings[0]).toMatch(/processorsDir: \/ is the root/);
    expect(loaded.warnings[0]).toMatch(/NODE_OPTIONS is reserved/);
    expect(await fs.readdir(store.paths.root)).toEqual(['settings.json']); // no .corrupt backup
  });
});
