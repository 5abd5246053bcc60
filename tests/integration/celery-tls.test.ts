/**
 * A Celery pool on an external Redis with TLS and an ACL user (issue 18), with real parts: the
 * example Celery image (resources/examples/celery) as a custom pool of a cluster whose
 * spec.redis.external is the test's own TLS + ACL Redis (helpers/tls-redis.ts), and Debian's
 * Celery on the host sending tasks. The pool learns the URL and the CA the documented way,
 * GUILDHALL_REDIS_URL_FILE and GUILDHALL_REDIS_CA_FILE; the password is in neither its env nor
 * its logs.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { poolSpecSchema } from '../../main/settings/pool-spec';
import { userSecretKey } from '../../main/settings/user-secrets';
import { buildCeleryImage, CELERY_IMAGE, celeryClient } from './helpers/celery-pool';
import { runCli } from './helpers/run-cli';
import { createTestCluster, docker, type TestCluster } from './helpers/test-cluster';
import { startTlsAclRedis, type TlsAclRedis } from './helpers/tls-redis';

const POOL = 'celery';
const QUEUE = 'tls_tasks';
const SECRET = 'EXT_REDIS_PASSWORD';

let ext: TlsAclRedis;
let cluster: TestCluster;
let client: Awaited<ReturnType<typeof celeryClient>>;

beforeAll(async () => {
  buildCeleryImage();
  ext = await startTlsAclRedis();
  cluster = await createTestCluster({ workers: 0 });
  await cluster.core.secrets.set(userSecretKey(SECRET), ext.password);
  await cluster.core.settings.update((s) => ({
    ...s,
    cluster: {
      ...s.cluster,
      redis: {
        ...s.cluster.redis,
        external: { url: ext.url(), passwordSecret: SECRET, caFile: ext.caFile },
      },
      pools: {
        [POOL]: poolSpecSchema.parse({
          image: CELERY_IMAGE,
          command: ['celery', '-A', 'tasks', 'worker', '-Q', QUEUE, '-c', '2', '-l', 'INFO'],
          watch: { celery: [QUEUE] },
          replicas: 1,
        }),
      },
    },
  }));
  await cluster.core.cluster.up();
  const connect = await runCli(['connect'], cluster.env);
  expect(connect.code).toBe(0);
  client = await celeryClient(connect.stdout.trim(), ext.caFile);
}, 400_000);

afterAll(async () => {
  await client?.close();
  await cluster?.cleanup();
  await ext?.stop();
}, 120_000);

describe('a Celery pool on an external TLS + ACL Redis', () => {
  it('processes tasks a host client sends, learning the URL and CA from their files', async () => {
    const container = `${cluster.name}-${POOL}-1`;
    const env = (await docker.getContainer(container).inspect()).Config.Env;
    expect(env).toContain('GUILDHALL_REDIS_URL_FILE=/run/guildhall/redis-url');
    expect(env).toContain('GUILDHALL_REDIS_CA_FILE=/run/guildhall/redis-ca.pem');
    expect(env.join('\n')).not.toContain(ext.password);

    const ids = (await client.run(['send', QUEUE, '3'])) as string[];
    expect(ids).toHaveLength(3);
    expect(await client.run(['results', ...ids])).toEqual([0, 2, 4]);
    // The task ran in the pool's container (its hostname is its name), not on the host.
    expect(await client.run(['whoami', QUEUE])).toBe(container);
    // Its banner names the rediss:// transport and the ACL user, the password masked.
    const logs = await docker
      .getContainer(container)
      .logs({ stdout: true, stderr: true, follow: false });
    const text = logs.toString('utf8');
    expect(text).toMatch(/celery@\S+ ready/);
    expect(text).toContain(`rediss://${ext.user}:**@${ext.gateway}:${ext.port}/0`);
    expect(text).not.toContain(ext.password);
  });
});
