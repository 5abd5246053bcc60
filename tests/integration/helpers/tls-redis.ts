/**
 * An external Redis for the tests of spec.redis.external: TLS (a CA and a server certificate
 * made here with openssl) and an ACL user, the `default` user off. It listens on the engine
 * host's bridge gateway (docker0's address) in the host's network namespace, so the test (on the
 * host) and containers (on a bridge network, whose traffic to a host address goes to the host)
 * reach the same address; the server certificate names that address. A second CA that signed
 * nothing serves the untrusted-certificate cases.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import { findFreePort } from '../../../main/util/ports';
import { docker } from './test-cluster';

const REDIS_IMAGE = process.env.GUILDHALL_REDIS_IMAGE ?? 'guildhall-offline/redis:bookworm';

export interface TlsAclRedis {
  /** The folder of the certificates (world-readable: the Redis container reads them). */
  dir: string;
  /** The address Redis listens on, named by its certificate. */
  gateway: string;
  port: number;
  user: string;
  password: string;
  /** The CA that signed the server certificate: its PEM text and its file. */
  ca: string;
  caFile: string;
  /** A CA that signed nothing. */
  otherCaFile: string;
  /** The Redis container's name. */
  name: string;
  /** ioredis options of a client as the ACL user, over TLS. */
  client(): { host: string; port: number; username: string; password: string; tls: { ca: string } };
  /** The URL of spec.redis.external (no password: that is in the secret store). */
  url(): string;
  /** Removes the container and the certificates. */
  stop(): Promise<void>;
}

function openssl(dir: string, args: string[]): void {
  execFileSync('openssl', args, { cwd: dir, stdio: 'ignore' });
}

function selfSignedCa(dir: string, name: string, cn: string): void {
  openssl(dir, [
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-days',
    '2',
    '-subj',
    `/CN=${cn}`,
    '-keyout',
    `${name}.key`,
    '-out',
    `${name}.crt`,
  ]);
}

/** A CA, and a server certificate it signs for `ip`; a second CA that signed nothing. */
async function makeCertificates(dir: string, ip: string): Promise<void> {
  selfSignedCa(dir, 'ca', 'Test CA');
  selfSignedCa(dir, 'other', 'Other CA');
  openssl(dir, [
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
  openssl(dir, [
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

/** Waits until Redis answers a PING over TLS as the ACL user. */
async function untilReady(redis: TlsAclRedis, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const probe = new Redis({
      ...redis.client(),
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
    if (ok === 'PONG') return;
    if (Date.now() > deadline) throw new Error('the test Redis did not answer over TLS');
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** Starts the TLS + ACL Redis; `stop()` removes it. */
export async function startTlsAclRedis(user = 'app'): Promise<TlsAclRedis> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'gh-ext-redis-'));
  await fs.chmod(dir, 0o755);
  const bridge = await docker.getNetwork('bridge').inspect();
  const gateway: string = bridge.IPAM?.Config?.[0]?.Gateway ?? '172.17.0.1';
  await makeCertificates(dir, gateway);
  const port = (await findFreePort(26379 + Math.floor(Math.random() * 2000)))!;
  const password = `pw-${randomBytes(8).toString('hex')}`;
  const name = `gh-ext-redis-${randomBytes(3).toString('hex')}`;
  const container = await docker.createContainer({
    name,
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
      user,
      'on',
      `>${password}`,
      '~*',
      '&*',
      '+@all',
    ],
    HostConfig: { NetworkMode: 'host', Binds: [`${dir}:/tls:ro`], AutoRemove: false },
  });
  const ca = await fs.readFile(path.join(dir, 'ca.crt'), 'utf8');
  const redis: TlsAclRedis = {
    dir,
    gateway,
    port,
    user,
    password,
    ca,
    caFile: path.join(dir, 'ca.crt'),
    otherCaFile: path.join(dir, 'other.crt'),
    name,
    client: () => ({ host: gateway, port, username: user, password, tls: { ca } }),
    url: () => `rediss://${user}@${gateway}:${port}/0`,
    stop: async () => {
      await container.remove({ force: true }).catch(() => {});
      await fs.rm(dir, { recursive: true, force: true });
    },
  };
  try {
    await container.start();
    await untilReady(redis);
  } catch (err) {
    await redis.stop();
    throw err;
  }
  return redis;
}
