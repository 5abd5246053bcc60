/**
 * The rules behind a pool's mounts and secrets, without an engine: mount sources and targets
 * through the settings schema (every face saves through it), `~` expanded; the secret store's
 * user secrets (names only listed, empty or short values refused, a damaged file kept aside);
 * and the secret files' archive (root's, read-only for everyone else).
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import tar from 'tar-stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { secretsArchive } from '../../main/cluster/pool-host';
import { FileSecretStore } from '../../main/settings/secret-store';
import { settingsSchema } from '../../main/settings/settings-schema';
import {
  expandHome,
  mountSourceProblem,
  mountTargetProblem,
} from '../../main/settings/settings-rules';
import {
  listUserSecrets,
  missingPoolSecrets,
  removeUserSecret,
  setUserSecret,
} from '../../main/settings/user-secrets';

let dir: string;
beforeEach(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'guildhall-pool-host-'));
});
afterEach(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

function withMounts(mounts: unknown[]) {
  const base = settingsSchema.parse({});
  return { ...base, cluster: { ...base.cluster, workers: { ...base.cluster.workers, mounts } } };
}

function issues(value: unknown): string[] {
  const result = settingsSchema.safeParse(value);
  return result.success ? [] : result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
}

describe('mount rules', () => {
  it('expands ~ and refuses /, the home folder, a missing folder', () => {
    const home = os.homedir();
    expect(expandHome('~/projects', '/home/me')).toBe(path.join('/home/me', 'projects'));
    expect(mountSourceProblem('/')).toMatch(/root of the file system/);
    expect(mountSourceProblem('~')).toMatch(/home folder/);
    expect(mountSourceProblem(home)).toMatch(/home folder/);
    expect(mountSourceProblem(path.join(dir, 'nope'))).toMatch(/does not exist/);
    expect(mountSourceProblem('relative/dir')).toMatch(/not a full path/);
    expect(mountSourceProblem(dir)).toBeNull();
  });

  it('refuses targets covering what Guildhall mounts itself, and one target twice', () => {
    expect(mountTargetProblem('/')).toMatch(/root/);
    expect(mountTargetProblem('/run/secrets')).toMatch(/Guildhall mounts itself/);
    expect(mountTargetProblem('/run')).toMatch(/Guildhall mounts itself/);
    expect(mountTargetProblem('/processors/x')).toMatch(/Guildhall mounts itself/);
    expect(mountTargetProblem('/workspace')).toBeNull();
    expect(
      issues(
        withMounts([
          { source: dir, target: '/w' },
          { source: dir, target: '/w/' },
        ]),
      ),
    ).toEqual(['cluster.workers.mounts.1.target: /w is mounted twice']);
  });

  it('names the field in the schema, and mounts are read-only unless asked', () => {
    expect(issues(withMounts([{ source: '/', target: '/w' }]))[0]).toMatch(
      /^cluster\.workers\.mounts\.0\.source: \/ is the root of the file system/,
    );
    const parsed = settingsSchema.parse(withMounts([{ source: dir, target: '/w' }]));
    expect(parsed.cluster.workers.mounts[0]?.readOnly).toBe(true);
  });
});

describe('user secrets in the store', () => {
  it('lists names with the pools naming them; refuses empty and short values', async () => {
    const store = new FileSecretStore(path.join(dir, 'secrets.json'));
    await store.set('redis-password:x', 'generated-password');
    await setUserSecret(store, 'API_KEY', 'sk-123456');
    await expect(setUserSecret(store, 'EMPTY', '  ')).rejects.toThrow(/empty/);
    await expect(setUserSecret(store, 'SHORT', 'abc')).rejects.toThrow(/shorter than 4/);
    await expect(setUserSecret(store, 'bad-name', 'value')).rejects.toThrow(/not a secret name/);
    const spec = settingsSchema.parse({
      cluster: {
        workers: { secrets: ['API_KEY'] },
        pools: { tools: { secrets: ['API_KEY', 'GONE'] } },
      },
    }).cluster;
    expect(await listUserSecrets(store, spec)).toEqual([
      { name: 'API_KEY', stored: true, pools: ['worker', 'tools'] },
      { name: 'GONE', stored: false, pools: ['tools'] },
    ]);
    expect(await missingPoolSecrets(store, spec)).toEqual([{ pool: 'tools', name: 'GONE' }]);
    await removeUserSecret(store, 'API_KEY');
    await expect(removeUserSecret(store, 'API_KEY')).rejects.toMatchObject({ code: 'not-found' });
    expect(await store.get('redis-password:x')).toBe('generated-password');
  });

  it('keeps a damaged secrets file aside before writing a new one', async () => {
    const file = path.join(dir, 'secrets.json');
    await fs.writeFile(file, '{ not json');
    const store = new FileSecretStore(file);
    await setUserSecret(store, 'API_KEY', 'sk-123456');
    const kept = (await fs.readdir(dir)).filter((name) => name.startsWith('secrets.json.damaged-'));
    expect(kept).toHaveLength(1);
    expect(await fs.readFile(path.join(dir, kept[0]!), 'utf8')).toBe('{ not json');
  });
});

describe('secret files', () => {
  it('are root’s, read-only for everyone, one per secret', async () => {
    const archive = await secretsArchive(new Map([['API_KEY', 'sk-123456']]));
    const extract = tar.extract();
    const entries: { name: string; mode?: number; uid?: number; body: string }[] = [];
    extract.on('entry', (header, stream, next) => {
      let body = '';
      stream.on('data', (d: unknown) => {
        body += String(d);
      });
      stream.on('end', () => {
        entries.push({ name: header.name, mode: header.mode, uid: header.uid, body });
        next();
      });
    });
    const done = new Promise<void>((resolve) => extract.on('finish', () => resolve()));
    extract.end(archive);
    await done;
    expect(entries).toEqual([{ name: 'API_KEY', mode: 0o444, uid: 0, body: 'sk-123456' }]);
  });
});
