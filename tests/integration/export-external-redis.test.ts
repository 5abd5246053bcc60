/**
 * `guildhall export compose` of a cluster on an external Redis with TLS and an ACL user (issue
 * 18): the exported built-in workers connect the way the local ones do, from the URL (ACL user
 * and password in it) and CA files, written beside the compose file as 0600 secret files for the
 * workers' uid and never inline. The test's own TLS + ACL Redis (helpers/tls-redis.ts) → a spec
 * using it → `export compose` → `docker-compose up -d` → a job sent through that Redis completes
 * in an exported worker → down.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { Queue, QueueEvents } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { userSecretKey } from '../../main/settings/user-secrets';
import { eventually, run } from './helpers/export-kit';
import { runCli } from './helpers/run-cli';
import { createTestCluster, type TestCluster } from './helpers/test-cluster';
import { startTlsAclRedis, type TlsAclRedis } from './helpers/tls-redis';

const SECRET = 'EXT_REDIS_PASSWORD';

let ext: TlsAclRedis;
let tc: TestCluster;
let dir: string;
let composeFile: string;
let project: string;
let exportWarnings = '';
let upDone = false;

const compose = (...args: string[]) =>
  run('docker-compose', ['-p', project, '-f', composeFile, ...args], {
    cwd: dir,
    timeout: 180_000,
  });

beforeAll(async () => {
  ext = await startTlsAclRedis();
  tc = await createTestCluster({ workers: 2 });
  project = `${tc.name}-x`;
  await tc.core.secrets.set(userSecretKey(SECRET), ext.password);
  await tc.core.settings.update((s) => ({
    ...s,
    cluster: {
      ...s.cluster,
      redis: {
        ...s.cluster.redis,
        external: { url: ext.url(), passwordSecret: SECRET, caFile: ext.caFile },
      },
    },
  }));
  const built = await runCli(['image', 'build', '--plain'], tc.env, 300_000);
  if (built.code !== 0) throw new Error(`image build failed: ${built.stderr}`);
  dir = path.join(tc.home, 'export');
  await fs.mkdir(dir);
  composeFile = path.join(dir, 'compose.yaml');
  const exported = await runCli(['export', 'compose', '--out', composeFile], tc.env);
  if (exported.code !== 0) throw new Error(`export failed: ${exported.stderr}`);
  exportWarnings = exported.stderr;
}, 400_000);

afterAll(async () => {
  if (upDone) await compose('down', '--volumes', '--timeout', '5').catch(() => {});
  await tc?.cleanup();
  await ext?.stop();
}, 120_000);

/** Sends an echo job through the external Redis; resolves with its result. */
async function echoThroughExternal(data: unknown, timeoutMs = 20_000): Promise<unknown> {
  const connection = ext.client();
  const queue = new Queue('echo', { connection });
  const events = new QueueEvents('echo', { connection });
  try {
    await events.waitUntilReady();
    const job = await queue.add('exported', data);
    return await job.waitUntilFinished(events, timeoutMs);
  } finally {
    await queue.close();
    await events.close();
  }
}

describe('export compose of a cluster on an external TLS + ACL Redis', () => {
  it('gives the workers the URL and CA as 0600 files of their uid, never inline', async () => {
    // No warning that built-in pools would connect without the ACL user or TLS.
    expect(exportWarnings).not.toMatch(/TLS or an ACL user/);
    const text = await fs.readFile(composeFile, 'utf8');
    expect(text).not.toContain(ext.password);
    expect(text).not.toContain('BEGIN CERTIFICATE');
    expect(text).not.toMatch(/^\s+redis:\s*$/m); // no Redis service of its own
    expect(text).toContain('GUILDHALL_REDIS_URL_FILE: /run/guildhall/redis-url');
    expect(text).toContain('GUILDHALL_REDIS_CA_FILE: /run/guildhall/redis-ca.pem');
    expect(text).not.toContain('GUILDHALL_REDIS_PASSWORD_FILE');
    const secrets = path.join(dir, 'secrets');
    expect((await fs.readdir(secrets)).sort()).toEqual(['redis-ca.pem', 'redis-url']);
    for (const name of ['redis-url', 'redis-ca.pem']) {
      const stat = await fs.stat(path.join(secrets, name));
      expect((stat.mode & 0o777).toString(8), name).toBe('600');
      expect(stat.uid, name).toBe(1000); // the workers' uid (the test runs as root)
    }
    expect(await fs.readFile(path.join(secrets, 'redis-url'), 'utf8')).toBe(
      `rediss://${ext.user}:${encodeURIComponent(ext.password)}@${ext.gateway}:${ext.port}/0`,
    );
    expect(await fs.readFile(path.join(secrets, 'redis-ca.pem'), 'utf8')).toBe(ext.ca);
  });

  it('runs with docker-compose up: a job sent through the external Redis completes', async () => {
    upDone = true;
    await compose('up', '-d');
    const { stdout } = await compose('ps', '-q', 'worker');
    expect(stdout.trim().split('\n')).toHaveLength(2);
    const result = await eventually(() => echoThroughExternal({ hello: 'exported-tls' }));
    expect(JSON.stringify(result)).toContain('exported-tls');
    // Neither the password nor the URL with it is in the containers' configuration.
    const ids = stdout.trim().split('\n');
    const { stdout: inspect } = await run('docker', ['inspect', ...ids]);
    expect(inspect).not.toContain(ext.password);
    await compose('down', '--volumes', '--timeout', '5');
    upDone = false;
    expect((await compose('ps', '-q')).stdout.trim()).toBe('');
  }, 300_000);
});
