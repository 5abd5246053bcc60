/**
 * A cluster on an external Redis (spec.redis.external): a Redis the test starts itself, with TLS
 * (a CA and a server certificate made here with openssl) and an ACL user. `up` provisions no Redis
 * container; a built-in pool and a custom pool process jobs through it; `connect` prints its URL;
 * the diagnostics read it; a wrong password and an untrusted certificate each stop `up` with a
 * clear error before anything is made.
 *
 * Where the test's Redis listens: on the engine host's bridge gateway (docker0's address), in the
 * host's network namespace, so the core (on the host) and the workers (on the cluster's bridge
 * network, whose traffic to a host address goes to the host) reach the same address. The server
 * certificate names that address.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Queue, QueueEvents } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClusterSpec } from '../../main/settings/cluster-spec';
import { userSecretKey } from '../../main/settings/user-secrets';
import { runCheck } from '../../main/diagnostics/diagnostics';
import { GuildhallError } from '../../main/util/errors';
import { findFreePort } from '../../main/util/ports';
import {
  clusterContainers,
  createTestCluster,
  docker,
  type TestCluster,
} from './helpers/test-cluster';
import { runCli } from './helpers/run-cli';

const REDIS_IMAGE = process.env.GUILDHALL_REDIS_IMAGE ?? 'guildhall-offline/redis:bookworm';
const SECRET = 'EXT_REDIS_PASSWORD';
const USER = 'app';
const PASSWORD = `pw-${randomBytes(8).toString('hex')}`;

let dir: string;
let gateway: string;
let port: number;
let redisName: string;
let cluster: TestCluster;
const others: TestCluster[] = [];
let tls: { ca: string };

function openssl(args: string[]): void {
  execFileSync('openssl', args, { cwd: dir, stdio: 'ignore' });
}

/** A CA, and a server certificate it signs for `ip`; a second CA that signed nothing. */
async function makeCertificates(ip: string): Promise<void> {
  openssl([
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-days',
    '2',
    '-subj',
    '/CN=Test CA',
    '-keyout',
    'ca.key',
    '-out',
    'ca.crt',
  ]);
  openssl([
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-days',
    '2',
    '-subj',
    '/CN=Other CA',
    '-keyout',
    'other.key',
    '-out',
    'other.crt',
  ]);
  openssl([
    'req',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-subj',
    `/CN=${ip}`,
    '-keyout',
    'server.key',
    '-out',
    'server.csr',
  ]);
  await fs.writeFile(path.join(dir, 'san.ext'), `subjectAltName=IP:${ip}\n`);
  openssl([
    'x509',
    '-req',
    '-in',
    'server.csr',
    '-CA',
    'ca.crt',
    '-CAkey',
    'ca.key',
    '-CAcreateserial',
    '-days',
    '2',
    '-extfile',
    'san.ext',
    '-out',
    'server.crt',
  ]);
  for (const file of await fs.readdir(dir)) await fs.chmod(path.join(dir, file), 0o644);
}

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
          url: `rediss://${USER}@${gateway}:${port}/0`,
          passwordSecret: SECRET,
          caFile: path.join(dir, 'ca.crt'),
          ...external,
        },
      },
    },
  }));
}

beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'gh-ext-redis-'));
  await fs.chmod(dir, 0o755);
  const bridge = await docker.getNetwork('bridge').inspect();
  gateway = bridge.IPAM?.Config?.[0]?.Gateway ?? '172.17.0.1';
  await makeCertificates(gateway);
  port = (await findFreePort(26379 + Math.floor(Math.random() * 2000)))!;
  redisName = `gh-ext-redis-${randomBytes(3).toString('hex')}`;
  const container = await docker.createContainer({
    name: redisName,
    Image: REDIS_IMAGE,
    Cmd: [
      'redis-server',
      '--port',
      '0',
      '--bind',
      gateway,
      '--tls-port',
      String(port),
      '--tls-cert-file',
      '/tls/server.crt',
      '--tls-key-file',
      '/tls/server.key',
      '--tls-ca-cert-file',
      '/tls/ca.crt',
      '--tls-auth-clients',
      'no',
      '--appendonly',
      'yes',
      '--maxmemory-policy',
      'noeviction',
      '--save',
      '',
      '--user',
      'default',
      'off',
      '--user',
      USER,
      'on',
      `>${PASSWORD}`,
      '~*',
      '&*',
      '+@all',
    ],
    HostConfig: {
      NetworkMode: 'host',
      Binds: [`${dir}:/tls:ro`],
      AutoRemove: false,
    },
  });
  await container.start();
  tls = { ca: await fs.readFile(path.join(dir, 'ca.crt'), 'utf8') };
  // Ready once it answers over TLS as the ACL user.
  const deadline = Date.now() + 15_000;
  for (;;) {
    const probe = new Redis({
      host: gateway,
      port,
      username: USER,
      password: PASSWORD,
      tls,
      lazyConnect: true,
      retryStrategy: () => null,
      maxRetriesPerRequest: 0,
    });
    probe.on('error', () => {});
    const ok = await probe
      .connect()
      .then(() => probe.ping())
      .catch(() => null);
    probe.disconnect();
    if (ok === 'PONG') break;
    if (Date.now() > deadline) throw new Error('the test Redis did not answer over TLS');
    await new Promise((r) => setTimeout(r, 200));
  }
  cluster = await createTestCluster({ workers: 1 });
  await cluster.core.secrets.set(userSecretKey(SECRET), PASSWORD);
  await externalSpec(cluster);
}, 60_000);

afterAll(async () => {
  await cluster?.cleanup();
  for (const other of others) await other.cleanup();
  await docker
    .getContainer(redisName)
    .remove({ force: true })
    .catch(() => {});
  await fs.rm(dir, { recursive: true, force: true });
});

function externalClient(): {
  host: string;
  port: number;
  username: string;
  password: string;
  tls: { ca: string };
} {
  return { host: gateway, port, username: USER, password: PASSWORD, tls };
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
    await externalSpec(other, { caFile: path.join(dir, 'other.crt') });
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
