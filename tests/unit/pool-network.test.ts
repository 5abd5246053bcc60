/**
 * Pools' networks (issue 19): each built-in pool allows private networks on its own (the default
 * pool keeps `workers.allowPrivateNetworks`, and its containers their hash); `network: internal`
 * puts a pool's containers on the internal network only (no way to the host either), changes
 * only that pool's containers, and is refused with an external Redis at its field, in the
 * settings and in the cluster file. The exports follow: compose gives the pool an
 * `internal: true` network shared with Redis, Kubernetes a NetworkPolicy that validates.
 */
import { BlockList } from 'node:net';
import os from 'node:os';
import yaml from 'js-yaml';
import { describe, expect, it } from 'vitest';
import {
  redisCreateOptions,
  workerCreateOptions,
  type ContainerInputs,
} from '../../main/cluster/container-configs';
import { clusterModel } from '../../main/cluster/container-model';
import { internalNetworkOptions } from '../../main/cluster/internal-network';
import { poolCreateOptions, poolHash } from '../../main/cluster/pool-configs';
import { composeDocument } from '../../main/export/compose-file';
import { kubernetesExport } from '../../main/export/kubernetes-export';
import { planApply } from '../../main/settings/apply-plan';
import { parseClusterFile } from '../../main/settings/cluster-file';
import {
  clusterPools,
  clusterSpecSchema,
  type ClusterSpec,
} from '../../main/settings/cluster-spec';
import { settingsSchema } from '../../main/settings/settings-schema';
import { GuildhallError } from '../../main/util/errors';
import { WORKER_ENV } from '../../main/shared/worker-contract';
import { blockedReason, networkPolicy } from '../../resources/worker/src/processors/network-guard';
import { demoSpec, documentsOf, expectValid, input } from './kubernetes-export-fixtures';

const EXTERNAL = { external: { url: 'redis://10.0.0.5:6379/0' } };

function issues(raw: unknown): string[] {
  const parsed = clusterSpecSchema.safeParse(raw);
  return parsed.success ? [] : parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
}

function inputs(spec: ClusterSpec): ContainerInputs {
  return {
    spec,
    redisImage: 'redis:7',
    workerImage: 'guildhall/worker:abc',
    poolImages: { celery: 'my-celery:1' },
    password: 'pw',
    version: '0.1.0',
    workerRedis: 'socket',
    hostGateway: true,
  };
}

function spec(pools: Record<string, unknown>, workers: Record<string, unknown> = {}) {
  return clusterSpecSchema.parse({ name: 'c', workers: { replicas: 1, ...workers }, pools });
}

function pool(s: ClusterSpec, name: string) {
  return clusterPools(s).find((p) => p.name === name)!;
}

function envOf(s: ClusterSpec, name: string): string[] {
  return poolCreateOptions(inputs(s), pool(s, name), 1).options.Env ?? [];
}

const PRIVATE_ON = `${WORKER_ENV.allowPrivateNetworks}=1`;

describe('private networks per pool', () => {
  it('is off unless a built-in pool allows it; the default pool keeps workers.allowPrivateNetworks', () => {
    const s = spec(
      { tools: { allowPrivateNetworks: true }, quiet: {} },
      { allowPrivateNetworks: true },
    );
    expect(pool(s, 'quiet').spec.allowPrivateNetworks).toBe(false);
    expect(envOf(s, 'tools')).toContain(PRIVATE_ON);
    expect(envOf(s, 'worker')).toContain(PRIVATE_ON);
    // The default pool's setting is its own, no longer every built-in pool's.
    expect(envOf(s, 'quiet')).not.toContain(PRIVATE_ON);
    const off = spec({ tools: { allowPrivateNetworks: true } });
    expect(envOf(off, 'worker')).not.toContain(PRIVATE_ON);
  });

  it("the http guard names the pool's own setting when it refuses a private address", () => {
    const refusal = (env: NodeJS.ProcessEnv) =>
      blockedReason('10.1.2.3', { ...networkPolicy(env), own: new BlockList() });
    expect(refusal({})).toMatch(/cluster setting workers\.allowPrivateNetworks is on/);
    expect(refusal({ [WORKER_ENV.pool]: 'tools' })).toMatch(
      /cluster setting pools\.tools\.allowPrivateNetworks is on/,
    );
    expect(refusal({ [WORKER_ENV.pool]: 'tools', [PRIVATE_ON.split('=')[0]!]: '1' })).toBeNull();
  });

  it('is refused on a custom pool, by name', () => {
    expect(issues({ pools: { celery: { image: 'x:1', allowPrivateNetworks: true } } })).toEqual([
      'pools.celery.allowPrivateNetworks: only a built-in pool runs http jobs; a custom image reaches what its network allows',
    ]);
  });
});

describe('the internal network option', () => {
  it('defaults to the ordinary network, and takes only default or internal', () => {
    const s = spec({ tools: {}, celery: { image: 'x:1' } });
    expect(clusterPools(s).map((p) => p.spec.network)).toEqual(['default', 'default', 'default']);
    expect(issues({ pools: { tools: { network: 'none' } } })[0]).toMatch(/^pools\.tools\.network:/);
  });

  it("puts a pool's containers on the internal network only, with no host alias", () => {
    const s = spec({
      tools: { network: 'internal' },
      celery: { image: 'x:1', network: 'internal' },
    });
    for (const name of ['tools', 'celery']) {
      const { options } = poolCreateOptions(inputs(s), pool(s, name), 1);
      expect(Object.keys(options.NetworkingConfig!.EndpointsConfig!)).toEqual(['c_internal']);
      expect(options.HostConfig?.ExtraHosts).toBeUndefined();
    }
    const { options } = poolCreateOptions(inputs(s), pool(s, 'worker'), 1);
    expect(Object.keys(options.NetworkingConfig!.EndpointsConfig!)).toEqual(['c_default']);
    expect(options.HostConfig?.ExtraHosts).toEqual(['host.docker.internal:host-gateway']);
  });

  it('makes the network internal, without a host address, with the cluster labels', () => {
    expect(internalNetworkOptions('c')).toMatchObject({
      Name: 'c_internal',
      Internal: true,
      Options: { 'com.docker.network.bridge.inhibit_ipv4': 'true' },
      Labels: { 'io.guildhall.managed': 'true', 'io.guildhall.cluster': 'c' },
    });
  });

  it("changing it changes only that pool's hash (Redis and the other pools keep theirs)", () => {
    const before = spec({ tools: {}, other: {} });
    const after = spec({ tools: { network: 'internal' }, other: {} });
    expect(poolHash(inputs(after), pool(after, 'tools'))).not.toBe(
      poolHash(inputs(before), pool(before, 'tools')),
    );
    for (const name of ['worker', 'other'])
      expect(poolHash(inputs(after), pool(after, name))).toBe(
        poolHash(inputs(before), pool(before, name)),
      );
    expect(redisCreateOptions(inputs(after)).hash).toBe(redisCreateOptions(inputs(before)).hash);
    // The default pool on the internal network is its own change too.
    const internalDefault = spec({}, { network: 'internal' });
    expect(workerCreateOptions(inputs(internalDefault), 1).hash).not.toBe(
      workerCreateOptions(inputs(spec({})), 1).hash,
    );
  });

  it("apply's plan replaces only that pool's containers", () => {
    const current = spec({ tools: {} }, { allowPrivateNetworks: true });
    const desired = spec({ tools: { network: 'internal' } }, { allowPrivateNetworks: true });
    const image = { ref: 'guildhall/worker:aaa', build: false };
    const containers = [
      { name: 'c-redis-1', image: desired.redis.image },
      { name: 'c-worker-1', image: image.ref },
      { name: 'c-tools-1', image: image.ref },
    ];
    const result = planApply({
      current,
      desired,
      containers,
      images: { worker: image, tools: image },
    });
    expect(result.redis.action).toBe('keep');
    expect(result.pools.map((p) => [p.pool, p.replace, p.keep])).toEqual([
      ['worker', [], 1],
      ['tools', ['c-tools-1'], 0],
    ]);
    // The default pool's network and private-network rule are its own, not shared.
    const defaultMoved = planApply({
      current,
      desired: spec({ tools: {} }, { network: 'internal' }),
      containers,
      images: { worker: image, tools: image },
    });
    expect(defaultMoved.pools.map((p) => [p.pool, p.replace, p.keep])).toEqual([
      ['worker', ['c-worker-1'], 0],
      ['tools', [], 1],
    ]);
  });

  it('is refused with an external Redis, at the field', () => {
    expect(
      issues({
        redis: EXTERNAL,
        workers: { network: 'internal' },
        pools: { tools: { network: 'internal' }, fine: {} },
      }),
    ).toEqual([
      expect.stringMatching(/^workers\.network: internal needs the cluster's own Redis/),
      expect.stringMatching(/^pools\.tools\.network: internal needs the cluster's own Redis/),
    ]);
    expect(issues({ redis: EXTERNAL, pools: { tools: {} } })).toEqual([]);
  });

  it('is refused in a cluster file at its path, with the fix, and nothing is saved', () => {
    const text = [
      'redis:',
      '  external: { url: "redis://10.0.0.5:6379/0" }',
      'pools:',
      '  worker: { network: internal }',
      '  tools: { network: internal }',
    ].join('\n');
    let error: unknown;
    try {
      parseClusterFile(text, 'cluster.yaml', settingsSchema.parse({}), os.tmpdir());
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(GuildhallError);
    const { message, hint } = error as GuildhallError;
    expect(message).toContain('pools.worker.network: internal needs');
    expect(message).toContain('pools.tools.network: internal needs');
    expect(message).toContain('Nothing was saved');
    expect(hint).toMatch(/network: default/);
  });
});

describe('exports of a pool on the internal network', () => {
  it('compose: the pool on an internal: true network that only Redis shares', () => {
    const s = spec({ tools: { network: 'internal' } });
    const doc = composeDocument(clusterModel(inputs(s)), []);
    const parsed = yaml.load(doc.text) as {
      services: Record<string, { networks?: string[] }>;
      networks?: Record<string, unknown>;
    };
    expect(parsed.networks).toEqual({ default: {}, internal: { internal: true } });
    expect(parsed.services.tools!.networks).toEqual(['internal']);
    expect(parsed.services.redis!.networks).toEqual(['default', 'internal']);
    expect(parsed.services.worker!.networks).toBeUndefined();
    // Without such a pool the file names no network at all.
    const plain = yaml.load(composeDocument(clusterModel(inputs(spec({}))), []).text) as object;
    expect(plain).not.toHaveProperty('networks');
  });

  it('kubernetes: a NetworkPolicy letting the pool reach only Redis and DNS, that validates', () => {
    const base = demoSpec();
    const s = clusterSpecSchema.parse({
      ...base,
      pools: { ...base.pools, tools: { ...base.pools.tools, network: 'internal' } },
    });
    const docs = documentsOf(kubernetesExport(input({ spec: s })));
    expectValid(docs);
    const policies = docs.filter((d) => d.kind === 'NetworkPolicy');
    expect(policies.map((d) => d.metadata.name)).toEqual(['tools-internal']);
    expect(policies[0]).toMatchObject({
      apiVersion: 'networking.k8s.io/v1',
      metadata: { namespace: 'demo-k8s' },
      spec: {
        podSelector: { matchLabels: { 'app.kubernetes.io/component': 'tools' } },
        policyTypes: ['Ingress', 'Egress'],
        ingress: [],
        egress: [
          {
            to: [{ podSelector: { matchLabels: { 'app.kubernetes.io/component': 'redis' } } }],
            ports: [{ protocol: 'TCP', port: 6379 }],
          },
          {
            to: [
              { namespaceSelector: {}, podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } },
            ],
            ports: [
              { protocol: 'UDP', port: 53 },
              { protocol: 'TCP', port: 53 },
            ],
          },
        ],
      },
    });
    // The default spec has no pool on the internal network: no policy.
    expect(documentsOf(kubernetesExport(input())).some((d) => d.kind === 'NetworkPolicy')).toBe(
      false,
    );
  });
});
