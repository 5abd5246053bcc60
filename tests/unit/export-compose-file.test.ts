/**
 * The compose export follows the containers the cluster makes: what a pool's create options say
 * (env, limits, user, healthcheck, mounts, security) is what its compose service says, so a
 * change to how the cluster runs a pool reaches the export without a second edit; no secret value
 * reaches the YAML; `$` is doubled for compose; an external Redis means no Redis service.
 */
import yaml from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { poolCreateOptions } from '../../main/cluster/pool-configs';
import { clusterModel, type ModelInputs } from '../../main/cluster/container-model';
import type { PoolHost } from '../../main/cluster/pool-host';
import { composeDocument, swarmOverride } from '../../main/export/compose-file';
import {
  clusterPools,
  clusterSpecSchema,
  type ClusterSpec,
} from '../../main/settings/cluster-spec';

const PASSWORD = 'pw-0123456789abcdef';
const URL_SECRET = 'redis://default:pw-0123456789abcdef@redis:6379/0';

const spec = clusterSpecSchema.parse({
  name: 'exp',
  redis: { port: 16400 },
  workers: {
    replicas: 3,
    cpus: 1.5,
    memoryMb: 700,
    secrets: ['API_KEY'],
    env: { GREETING: 'cost $5' },
    mounts: [{ source: '/srv/data', target: '/data', readOnly: true }],
  },
  pools: {
    celery: {
      image: 'my-celery:1',
      command: ['celery', '-A', 'app', 'worker'],
      healthcheck: ['CMD-SHELL', 'celery inspect ping'],
      redisUrlEnv: 'CELERY_BROKER_URL',
      replicas: 2,
    },
  },
});

function hostsOf(s: ClusterSpec): Map<string, PoolHost> {
  return new Map(
    clusterPools(s).map((pool) => [
      pool.name,
      {
        cluster: s.name,
        pool: pool.name,
        secretsVolume: pool.spec.secrets.length ? `${s.name}_secrets-${pool.name}-x` : null,
        secrets: new Map(pool.spec.secrets.map((name) => [name, 'secret-value-1234'])),
        mounts: pool.spec.mounts,
      },
    ]),
  );
}

const EXTERNAL_URL = 'rediss://app:ext-pw-42@db.example.com:6380/0';
const CA = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';

function inputs(s: ClusterSpec = spec): ModelInputs {
  return {
    spec: s,
    externalRedis: s.redis.external
      ? { host: 'db.example.com', port: 6380, url: EXTERNAL_URL, ca: CA }
      : null,
    redisImage: 'redis:7',
    workerImage: 'guildhall/worker:abc',
    poolImages: { worker: 'guildhall/worker:abc', celery: 'my-celery:1' },
    password: PASSWORD,
    version: '0.1.0',
    poolHosts: hostsOf(s),
  };
}

type Service = Record<string, unknown> & {
  environment?: Record<string, string>;
  deploy: { replicas: number; resources?: { limits: Record<string, string> } };
};

function parsed(s: ClusterSpec = spec) {
  const doc = composeDocument(clusterModel(inputs(s)), ['header'], { celery: 0 });
  return { doc, yaml: yaml.load(doc.text) as { services: Record<string, Service> } & Doc };
}
type Doc = Record<string, unknown>;

describe('export compose file', () => {
  it('says what the cluster create options say, for every pool', () => {
    const { yaml: file } = parsed();
    for (const pool of clusterPools(spec)) {
      const { options } = poolCreateOptions(
        { ...inputs(), workerRedis: 'tcp', hostGateway: false },
        pool,
        1,
      );
      const service = file.services[pool.name]!;
      const env = Object.fromEntries(
        (options.Env ?? [])
          .map((e) => [e.slice(0, e.indexOf('=')), e.slice(e.indexOf('=') + 1)])
          .filter(([k]) => k !== 'GUILDHALL_WORKER_NAME' && k !== pool.spec.redisUrlEnv),
      );
      // compose reads `$$` back as `$`.
      const envBack = Object.fromEntries(
        Object.entries(service.environment ?? {}).map(([k, v]) => [k, v.replace(/\$\$/g, '$')]),
      );
      expect(envBack, pool.name).toEqual(env);
      expect(service.image).toBe(options.Image);
      expect(service.deploy.replicas).toBe(pool.spec.replicas);
      expect(service.deploy.resources?.limits).toEqual({
        cpus: String(options.HostConfig!.NanoCpus! / 1e9),
        memory: `${options.HostConfig!.Memory! / 1024 / 1024}M`,
      });
      expect(service.cap_drop).toEqual(options.HostConfig!.CapDrop);
      expect(service.stop_grace_period).toBe(`${options.StopTimeout}s`);
      expect((service.healthcheck as { test: string[] }).test).toEqual(options.Healthcheck!.Test);
      if (options.User) expect(service.user).toBe(options.User);
    }
    expect(file.services.worker!.read_only).toBe(true);
    expect(file.services.worker!.volumes).toEqual(
      expect.arrayContaining([
        { type: 'bind', source: '/srv/data', target: '/data', read_only: true },
        { type: 'tmpfs', target: '/tmp', tmpfs: { size: 256 * 1024 * 1024 } },
      ]),
    );
  });

  it('names secrets as files and never holds a value', () => {
    const { doc, yaml: file } = parsed();
    expect(doc.text).not.toContain(PASSWORD);
    expect(doc.text).not.toContain('secret-value-1234');
    expect(doc.text).not.toContain(URL_SECRET);
    expect(file.secrets).toEqual({
      API_KEY: { file: './secrets/API_KEY' },
      'redis-password': { file: './secrets/redis-password' },
      'redis-url-uid-0': { file: './secrets/redis-url-uid-0' },
    });
    expect(file.services.worker!.secrets).toEqual([
      {
        source: 'redis-password',
        target: '/run/guildhall/redis-password',
        uid: '1000',
        gid: '1000',
        mode: 0o400,
      },
      { source: 'API_KEY', target: '/run/secrets/API_KEY', uid: '1000', gid: '1000', mode: 0o400 },
    ]);
    // The env var with the URL and its password goes to an env file, not the YAML.
    expect(file.services.celery!.env_file).toEqual(['./secrets/celery.env']);
    expect(doc.envFiles.celery).toEqual({ CELERY_BROKER_URL: URL_SECRET });
    // Redis reads requirepass from its secret at start; the port is on the loopback only.
    const redis = file.services.redis!;
    expect(redis.ports).toEqual(['127.0.0.1:16400:6379']);
    expect((redis.command as string[])[2]).toContain('$$(cat /run/guildhall/redis-password)');
    expect((redis.command as string[])[2]).not.toMatch(/unixsocket/);
    expect(file.volumes).toEqual({ 'redis-data': {} });
  });

  it('follows a change to the spec (limits, replicas) without a second edit', () => {
    const changed = clusterSpecSchema.parse({
      ...spec,
      workers: { ...spec.workers, replicas: 5, cpus: 0, memoryMb: 300 },
    });
    const service = parsed(changed).yaml.services.worker!;
    expect(service.deploy.replicas).toBe(5);
    expect(service.deploy.resources?.limits).toEqual({ memory: '300M' });
  });

  it('has no Redis service with an external Redis; every pool reads its URL and CA files', () => {
    const external = clusterSpecSchema.parse({
      ...spec,
      redis: {
        external: {
          url: 'rediss://app@db.example.com:6380/0',
          passwordSecret: 'REDIS_PW',
          caFile: '/etc/ca.pem',
        },
      },
    });
    const { doc, yaml: file } = parsed(external);
    expect(file.services.redis).toBeUndefined();
    expect(file.volumes).toBeUndefined();
    // Built-in pools connect as the local ones do: the URL (ACL user, password) and CA as files.
    const worker = file.services.worker!;
    expect(worker.environment).toMatchObject({
      GUILDHALL_REDIS_URL_FILE: '/run/guildhall/redis-url',
      GUILDHALL_REDIS_CA_FILE: '/run/guildhall/redis-ca.pem',
    });
    expect(worker.environment?.GUILDHALL_REDIS_PASSWORD_FILE).toBeUndefined();
    expect(worker.environment?.GUILDHALL_REDIS_HOST).toBeUndefined();
    const targets = (s: Service) => (s.secrets as { source: string; target: string }[]) ?? [];
    expect(targets(worker)).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ source: 'redis-url', target: '/run/guildhall/redis-url' }),
        expect.objectContaining({ source: 'redis-ca.pem', target: '/run/guildhall/redis-ca.pem' }),
      ]),
    );
    expect(targets(worker).map((t) => t.source)).not.toContain('redis-password');
    // A custom pool gets its host and port, and the same files (its own copies, for its uid).
    expect(file.services.celery!.environment).toMatchObject({
      GUILDHALL_REDIS_HOST: 'db.example.com',
      GUILDHALL_REDIS_PORT: '6380',
      GUILDHALL_REDIS_URL_FILE: '/run/guildhall/redis-url',
      GUILDHALL_REDIS_CA_FILE: '/run/guildhall/redis-ca.pem',
    });
    expect(targets(file.services.celery!).map((t) => t.source)).toEqual(
      expect.arrayContaining(['redis-url-uid-0', 'redis-ca.pem-uid-0']),
    );
    expect(doc.secrets.map((s) => s.secret)).not.toContain('redis-password');
    // The URL with its password never reaches the YAML (the celery pool's env is in its env file).
    expect(doc.text).not.toContain('ext-pw-42');
    expect(doc.envFiles.celery).toEqual({ CELERY_BROKER_URL: EXTERNAL_URL });
    expect(worker.depends_on).toBeUndefined();
    expect(swarmOverride(clusterModel(inputs(external)), [])).not.toContain('redis:');
  });

  it('refuses to model an external Redis without its URL and CA', () => {
    const external = clusterSpecSchema.parse({
      ...spec,
      redis: { external: { url: 'redis://db.example.com:6380', passwordSecret: null } },
    });
    expect(() => clusterModel({ ...inputs(external), externalRedis: null })).toThrow(
      /externalRedis/,
    );
  });

  it("gives Swarm Redis's port on its node, found by DNS", () => {
    const text = swarmOverride(clusterModel(inputs()), ['x']);
    const doc = yaml.load(text) as { services: Record<string, Doc> };
    expect(doc.services.redis).toEqual({
      ports: [{ target: 6379, published: 16400, protocol: 'tcp', mode: 'host' }],
      deploy: { endpoint_mode: 'dnsrr' },
    });
  });
});
