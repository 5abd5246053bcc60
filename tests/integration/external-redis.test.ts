/**
 * A cluster on an external Redis (spec.redis.external): a Redis the test starts itself, with TLS
 * (a CA and a server certificate made here with openssl) and an ACL user. `up` provisions no Redis
 * container; a built-in pool and a custom pool process jobs through it; `connect` prints its URL;
 * the diagnostics read it; a wrong password and an untrusted certificate each stop `up` with a
 * clear error before anything is made.
 *
 * The Redis (helpers/tls-redis.ts) listens on the engine host's bridge gateway, which the core
 * and the workers both reach; its certificate names that address.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { Queue, QueueEvents } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClusterSpec } from '../../main/settings/cluster-spec';
import { userSecretKey } from '../../main/settings/user-secrets';
import { runCheck } from '../../main/diagnostics/diagnostics';
import { GuildhallError } from '../../main/util/errors';
import {
  clusterContainers,
  createTestCluster,
  docker,
  type TestCluster,
} from './helpers/test-cluster';
import { runCli } from './helpers/run-cli';
import { startTlsAclRedis, type TlsAclRedis } from './helpers/tls-redis';

const SECRET = 'EXT_REDIS_PASSWORD';
let ext: TlsAclRedis;
let USER: string;
let PASSWORD: string;
let dir: string;
let gateway: string;
let port: number;
let redisName: string;
let cluster: TestCluster;
const others: TestCluster[] = [];

async function externalSpec(
  target: TestCluster,
  external: Partial<NonNullable<ClusterSpec['redis']['external']>> = {},
): Promise<void> {
  await target.core.settings.update((s) => ({
    ...s,
    cluster: {
      ...s.cluster,
      redis: {
        ...s.cluster.redis,
        external: {
          url: ext.url(),
          passwordSecret: SECRET,
          caFile: ext.caFile,
          ...external,
        },
      },
    },
  }));
}

beforeAll(async () => {
  ext = await startTlsAclRedis();
  ({ user: USER, password: PASSWORD, dir, gateway, port, name: redisName } = ext);
  cluster = await createTestCluster({ workers: 1 });
  await cluster.core.secrets.set(userSecretKey(SECRET), PASSWORD);
  await externalSpec(cluster);
}, 60_000);

afterAll(async () => {
  await cluster?.cleanup();
  for (const other of others) await other.cleanup();
  await ext?.stop();
});

function externalClient() {
  return ext.client();
}

async function runJob(queueName: string, data: unknown): Promise<unknown> {
  const connection = externalClient();
  const queue = new Queue(queueName, { connection });
  const events = new QueueEvents(queueName, { connection });
  try {
    await events.waitUntilReady();
    const job = await queue.add('t', data);
    return await job.waitUntilFinished(events, 60_000);
  } finally {
    await events.close();
    await queue.close();
  }
}

describe('a cluster on an external Redis with TLS and an ACL user', () => {
  it('up makes no Redis container, and the built-in pool processes jobs through it', async () => {
    const status = await cluster.core.cluster.up();
    expect(status.state).toBe('running');
    expect(status.redis?.id).toBe('external');
    expect(status.redis?.health).toBe('healthy');
    const names = (await clusterContainers(cluster.name)).map((c) => c.Names[0]);
    expect(names).toEqual([`/${cluster.name}-worker-1`]);
    // No data volume either: the cluster keeps no Redis data of its own.
    await expect(docker.getVolume(`${cluster.name}_redis-data`).inspect()).rejects.toThrow();
    const result = await runJob('echo', { hello: 'external' });
    expect(JSON.stringify(result)).toContain('external');
    // The worker registered through the external Redis (its heartbeat is there).
    const redis = new Redis({ ...externalClient(), lazyConnect: true });
    await redis.connect();
    expect(await redis.exists(`guildhall:${cluster.name}:heartbeat:${cluster.name}-worker-1`)).toBe(
      1,
    );
    redis.disconnect();
    // Neither the password nor the URL with it is in the container's configuration.
    const inspect = await docker.getContainer(`${cluster.name}-worker-1`).inspect();
    expect(JSON.stringify(inspect)).not.toContain(PASSWORD);
  });

  it('a custom pool gets the URL and CA files and processes jobs through them', async () => {
    const image = (await cluster.core.cluster.status()).pools[0]!.image!;
    await cluster.core.settings.update((s) => ({
      ...s,
      cluster: {
        ...s.cluster,
        pools: {
          custom: {
            image,
            replicas: 1,
            memoryMb: 384,
            stopTimeoutSeconds: 5,
            // The worker program reads the same GUILDHALL_REDIS_URL_FILE / _CA_FILE custom pools get.
            env: { GUILDHALL_CLUSTER: cluster.name, GUILDHALL_QUEUES: 'custom-echo=echo' },
          },
        } as unknown as ClusterSpec['pools'],
      },
    }));
    await cluster.core.cluster.up();
    const env = (await docker.getContainer(`${cluster.name}-custom-1`).inspect()).Config.Env;
    expect(env).toContain(`GUILDHALL_REDIS_HOST=${gateway}`);
    expect(env).toContain(`GUILDHALL_REDIS_PORT=${port}`);
    expect(env).toContain('GUILDHALL_REDIS_CA_FILE=/run/guildhall/redis-ca.pem');
    const result = await runJob('custom-echo', { from: 'custom' });
    expect(JSON.stringify(result)).toContain('custom');
  });

  it('core reads, connect and the diagnostics use the external Redis', async () => {
    const connect = await runCli(['connect'], cluster.env);
    expect(connect.code).toBe(0);
    expect(connect.stdout.trim()).toBe(
      `rediss://${USER}:${encodeURIComponent(PASSWORD)}@${gateway}:${port}/0`,
    );
    expect(connect.stderr).toContain(path.join(dir, 'ca.crt'));
    const status = await runCli(['status'], cluster.env);
    expect(status.stdout).toContain(`external ${gateway}:${port}`);
    expect((await runCheck(cluster.core, 'redis.external'))?.status).toBe('passed');
    expect((await runCheck(cluster.core, 'redis.external-config'))?.status).toBe('passed');
    expect(await runCheck(cluster.core, 'redis.container')).toBeNull(); // not applicable
    // An eviction policy BullMQ cannot live with is a warning naming the fix.
    const admin = new Redis({ ...externalClient(), lazyConnect: true });
    await admin.connect();
    await admin.config('SET', 'maxmemory-policy', 'allkeys-lru');
    try {
      const config = await runCheck(cluster.core, 'redis.external-config');
      expect(config?.status).toBe('warning');
      expect(config?.details?.join('\n')).toMatch(/maxmemory-policy is allkeys-lru.*noeviction/);
    } finally {
      await admin.config('SET', 'maxmemory-policy', 'noeviction');
      admin.disconnect();
    }
  });

  it('down removes the workers and leaves the external Redis running', async () => {
    await cluster.core.cluster.down();
    expect(await clusterContainers(cluster.name)).toEqual([]);
    expect((await docker.getContainer(redisName).inspect()).State.Running).toBe(true);
  });
});

describe('an external Redis that refuses Guildhall', () => {
  async function freshCluster(): Promise<TestCluster> {
    const other = await createTestCluster({ workers: 1 });
    others.push(other);
    return other;
  }

  async function upError(target: TestCluster): Promise<GuildhallError> {
    try {
      await target.core.cluster.up({ timeoutMs: 30_000 });
    } catch (err) {
      return err as GuildhallError;
    }
    throw new Error('expected up to fail');
  }

  async function nothingMade(target: TestCluster): Promise<void> {
    expect(await clusterContainers(target.name)).toEqual([]);
    const networks = await docker.listNetworks({ filters: { name: [target.name] } });
    expect(networks.filter((n) => n.Name.startsWith(target.name))).toEqual([]);
    await expect(docker.getVolume(`${target.name}_redis-run`).inspect()).rejects.toThrow();
  }

  it('a wrong password stops up with a clear error, before anything is made', async () => {
    const other = await freshCluster();
    await other.core.secrets.set(userSecretKey(SECRET), 'not-the-password');
    await externalSpec(other);
    const err = await upError(other);
    expect(err).toBeInstanceOf(GuildhallError);
    expect(err.code).toBe('redis-unavailable');
    expect(err.details).toMatchObject({ reason: 'auth' });
    expect(err.message).toContain(`refused the password of user "${USER}"`);
    expect(err.hint).toContain(`guildhall secret set ${SECRET}`);
    expect(err.message).not.toContain('not-the-password');
    await nothingMade(other);
    const check = await runCheck(other.core, 'redis.external');
    expect(check?.status).toBe('failed');
    expect(check?.message).toContain('refused the password');
  });

  it('an untrusted certificate stops up with a clear error, before anything is made', async () => {
    const other = await freshCluster();
    await other.core.secrets.set(userSecretKey(SECRET), PASSWORD);
    await externalSpec(other, { caFile: ext.otherCaFile });
    const err = await upError(other);
    expect(err.code).toBe('redis-unavailable');
    expect(err.details).toMatchObject({ reason: 'tls' });
    expect(err.message).toMatch(/certificate that is not trusted/);
    expect(err.hint).toContain('caFile');
    await nothingMade(other);
  });

  it('apply refuses a URL with a password in it, naming the field', async () => {
    const other = await freshCluster();
    const file = path.join(other.home, 'cluster.yaml');
    await fs.writeFile(
      file,
      `name: ${other.name}\nredis:\n  external:\n    url: rediss://${USER}:inline@${gateway}:${port}\n`,
    );
    const result = await runCli(['apply', file, '--dry-run'], other.env);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(/redis\.external\.url/);
    expect(result.stderr).toMatch(/must not hold a password/);
  });
});
