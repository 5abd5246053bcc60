/**
 * The one rule for reaching an external Redis (main/cluster/redis-connection.ts) and what the
 * workers read from the files it writes (resources/worker/src/config.ts): host, port, ACL user and
 * database from the URL, the password from the secret store, TLS with the CA for rediss://; every
 * problem a GuildhallError naming the field and the fix. And the plan of a cluster on an external
 * Redis: no Redis container, one left from before removed.
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { planCluster } from '../../main/cluster/plan';
import { planApply } from '../../main/settings/apply-plan';
import { formatPlan } from '../../main/cli/commands/apply';
import {
  coreRedisConnection,
  externalClientUrl,
  isLoopbackHost,
  parseExternalRedisUrl,
} from '../../main/cluster/redis-connection';
import { compareVersions } from '../../main/cluster/external-redis';
import { defaultClusterSpec, type ClusterSpec } from '../../main/settings/cluster-spec';
import { FileSecretStore } from '../../main/settings/secret-store';
import { userSecretKey } from '../../main/settings/user-secrets';
import { GuildhallError } from '../../main/util/errors';
import { endpointOfUrlFile, ConfigError } from '../../resources/worker/src/config';

const CA = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';
let dir: string;

beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'gh-ext-conn-'));
  await fs.writeFile(path.join(dir, 'ca.pem'), CA);
});
afterAll(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

function specWith(external: ClusterSpec['redis']['external']): ClusterSpec {
  const spec = defaultClusterSpec();
  return { ...spec, redis: { ...spec.redis, external } };
}

async function errorOf(run: () => Promise<unknown>): Promise<GuildhallError> {
  try {
    await run();
  } catch (err) {
    return err as GuildhallError;
  }
  throw new Error('expected an error');
}

describe('external Redis URL', () => {
  it('gives host, port, ACL user, database and TLS', () => {
    expect(parseExternalRedisUrl('rediss://app@10.0.0.5:6380/2')).toEqual({
      tls: true,
      host: '10.0.0.5',
      port: 6380,
      username: 'app',
      db: 2,
    });
    expect(parseExternalRedisUrl('redis://redis.internal')).toMatchObject({
      tls: false,
      port: 6379,
      username: undefined,
      db: 0,
    });
  });

  it('refuses a password in it and a path that is no database, naming the field', () => {
    for (const url of ['redis://app:secret@h:1', 'redis://h:1/queue']) {
      let error: unknown;
      try {
        parseExternalRedisUrl(url);
      } catch (err) {
        error = err;
      }
      expect(error).toBeInstanceOf(GuildhallError);
      expect((error as GuildhallError).message).toContain('cluster.redis.external.url');
      expect((error as GuildhallError).message).not.toContain('secret');
    }
  });

  it('the client URL carries the password, encoded; loopback hosts are told apart', () => {
    const external = { url: 'rediss://app@10.0.0.5:6380', passwordSecret: 'PW', caFile: null };
    expect(externalClientUrl(external, 'p@ss/word')).toBe(
      'rediss://app:p%40ss%2Fword@10.0.0.5:6380/0',
    );
    expect(isLoopbackHost('127.0.0.1')).toBe(true);
    expect(isLoopbackHost('localhost')).toBe(true);
    expect(isLoopbackHost('172.17.0.1')).toBe(false);
  });

  it('compares versions as BullMQ does', () => {
    expect(compareVersions('4.0.14', '5.0.0')).toBeLessThan(0);
    expect(compareVersions('7.0.15', '6.2.0')).toBeGreaterThan(0);
    expect(compareVersions('6.2', '6.2.0')).toBe(0);
  });
});

describe('the core connection to an external Redis', () => {
  it('takes the password from the secret store and the CA from caFile', async () => {
    const secrets = new FileSecretStore(path.join(dir, 'secrets-ok.json'));
    await secrets.set(userSecretKey('EXT_PW'), 'the-password');
    const connection = await coreRedisConnection(
      specWith({
        url: 'rediss://app@10.0.0.5:6380/1',
        passwordSecret: 'EXT_PW',
        caFile: path.join(dir, 'ca.pem'),
      }),
      secrets,
    );
    expect(connection).toEqual({
      host: '10.0.0.5',
      port: 6380,
      username: 'app',
      password: 'the-password',
      db: 1,
      tls: { ca: CA },
      external: true,
    });
  });

  it('says which secret is missing, that rediss needs a CA, and which CA file is unreadable', async () => {
    const secrets = new FileSecretStore(path.join(dir, 'secrets-empty.json'));
    const missing = await errorOf(() =>
      coreRedisConnection(
        specWith({ url: 'redis://app@h:6379', passwordSecret: 'NOPE', caFile: null }),
        secrets,
      ),
    );
    expect(missing.code).toBe('not-found');
    expect(missing.hint).toContain('guildhall secret set NOPE');
    const noCa = await errorOf(() =>
      coreRedisConnection(
        specWith({ url: 'rediss://app@h:6379', passwordSecret: null, caFile: null }),
        secrets,
      ),
    );
    expect(noCa.code).toBe('settings-invalid');
    expect(noCa.message).toContain('caFile');
    const unreadable = await errorOf(() =>
      coreRedisConnection(
        specWith({ url: 'rediss://h', passwordSecret: null, caFile: path.join(dir, 'none.pem') }),
        secrets,
      ),
    );
    expect(unreadable.code).toBe('settings-invalid');
    expect(unreadable.message).toContain('none.pem');
  });

  it("is the published 127.0.0.1 port and stored password for the cluster's own Redis", async () => {
    const secrets = new FileSecretStore(path.join(dir, 'secrets-own.json'));
    const spec = defaultClusterSpec();
    const connection = await coreRedisConnection(spec, secrets, { ensurePassword: true });
    expect(connection).toMatchObject({ host: '127.0.0.1', port: spec.redis.port, external: false });
    expect(connection.password).toMatch(/.{16,}/);
  });
});

describe('a worker reading the URL and CA files', () => {
  it('connects as the URL says, with the CA for rediss://', async () => {
    const urlFile = path.join(dir, 'redis-url');
    await fs.writeFile(urlFile, 'rediss://app:p%40ss@10.0.0.5:6380/3\n');
    expect(endpointOfUrlFile(urlFile, path.join(dir, 'ca.pem'))).toMatchObject({
      socket: null,
      host: '10.0.0.5',
      port: 6380,
      username: 'app',
      password: 'p@ss',
      db: 3,
      tls: { ca: CA },
    });
    expect(() => endpointOfUrlFile(urlFile, undefined)).toThrow(ConfigError);
    expect(() => endpointOfUrlFile(urlFile, undefined)).not.toThrow(/p@ss|p%40ss/);
  });
});

describe('the plan of a cluster on an external Redis', () => {
  it('has no Redis container, and removes one left from before', () => {
    const plan = planCluster(
      {
        networkId: 'net',
        missingVolumes: [],
        containers: [
          {
            id: 'r',
            name: 'g-redis-1',
            service: 'redis',
            pool: 'redis',
            number: 1,
            state: 'running',
            specHash: 'r1',
            created: 1,
          },
        ],
      },
      { redisHash: null, pools: [{ name: 'worker', hash: 'w1', replicas: 1 }] },
    );
    expect(plan.redis).toEqual([expect.objectContaining({ kind: 'remove', id: 'r' })]);
    expect(plan.workers).toEqual([
      [{ kind: 'create', service: 'worker', pool: 'worker', number: 1 }],
    ]);
  });
});

describe('apply onto an external Redis', () => {
  const external = { url: 'rediss://app@10.0.0.5:6380/0', passwordSecret: 'PW', caFile: '/ca.pem' };
  const own = defaultClusterSpec();
  const desired = specWith(external);
  const images = { worker: { ref: 'guildhall/worker:a', build: false } };
  const runningWorker = { name: `${own.name}-worker-1`, image: 'guildhall/worker:a' };

  it('plans the Redis container away, then nothing while the URL stays', () => {
    const moving = planApply({
      current: own,
      desired,
      containers: [{ name: `${own.name}-redis-1`, image: 'redis:7' }, runningWorker],
      images,
    });
    expect(moving.redis).toEqual({ action: 'remove', changes: [], external: external.url });
    expect(formatPlan(moving)).toContain(
      `remove the container (uses the external Redis ${external.url})`,
    );
    const staying = planApply({ current: desired, desired, containers: [runningWorker], images });
    expect(staying.redis).toMatchObject({ action: 'keep', changes: [] });
    expect(formatPlan(staying)).toContain(`external ${external.url}`);
  });

  it('names the URLs when going back to its own Redis', () => {
    const back = planApply({
      current: desired,
      desired: own,
      containers: [{ name: `${own.name}-redis-1`, image: 'redis:7' }, runningWorker],
      images,
    });
    expect(back.redis.changes).toEqual([`external ${external.url} → null`]);
  });
});
