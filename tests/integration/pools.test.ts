/**
 * Pools on a real engine: a cluster of the default pool is adopted as it is when pools are added;
 * a second built-in pool alone serves its queue; a custom pool runs any image on the cluster
 * network and reaches Redis with the URL file; scaling and removing one pool leaves the others'
 * containers alone; bad input (unknown pool, too many in all, a missing image) changes nothing.
 */
import { Queue, QueueEvents } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClusterSpec } from '../../main/settings/cluster-spec';
import { ApiServices } from '../../main/api/context';
import { runCheck } from '../../main/diagnostics/diagnostics';
import { isGuildhallError } from '../../main/util/errors';
import { heartbeatKey } from '../../main/shared/worker-contract';
import {
  clusterContainers,
  createTestCluster,
  docker,
  type TestCluster,
} from './helpers/test-cluster';
import { apiErrorOf, messagePortClient } from './helpers/api-clients';
import { runCli } from './helpers/run-cli';

let cluster: TestCluster;
let redis: Redis;

const REDIS_IMAGE = process.env.GUILDHALL_REDIS_IMAGE ?? 'guildhall-offline/redis:bookworm';
const PROBE_COMMAND = [
  'sh',
  '-c',
  'cat "$GUILDHALL_REDIS_URL_FILE" > /dev/null && ' +
    'until redis-cli -u "$(cat "$GUILDHALL_REDIS_URL_FILE")" set custom-pool-ok 1 | grep -q OK; do sleep 0.2; done; ' +
    'sleep 1000',
];

beforeAll(async () => {
  cluster = await createTestCluster({ workers: 1 });
});
afterAll(async () => {
  redis?.disconnect();
  await cluster?.cleanup();
});

/** Container ids by name (`<cluster>-…`), of every container the cluster has. */
async function idsByName(): Promise<Map<string, string>> {
  const containers = await clusterContainers(cluster.name);
  return new Map(containers.map((c) => [c.Names[0]!.replace(/^\//, ''), c.Id]));
}

async function setPools(pools: Record<string, unknown>): Promise<void> {
  await cluster.core.settings.update((s) => ({
    ...s,
    cluster: { ...s.cluster, pools: pools as ClusterSpec['pools'] },
  }));
}

async function errorOf(run: () => Promise<unknown>): Promise<unknown> {
  try {
    await run();
  } catch (err) {
    return err;
  }
  throw new Error('expected an error');
}

const n = (suffix: string) => `${cluster.name}-${suffix}`;

describe('pools on a real engine', () => {
  it('adopts a cluster of the default pool as it is when pools are added', async () => {
    // The default pool alone: the cluster as the version before pools made it (same names,
    // labels and spec hash; tests/unit/cluster-pools.test.ts holds the hash it had).
    await cluster.core.cluster.up();
    const before = await idsByName();
    expect([...before.keys()].sort()).toEqual([n('redis-1'), n('worker-1')]);

    await setPools({
      tools: {
        replicas: 1,
        concurrency: 2,
        memoryMb: 384,
        stopTimeoutSeconds: 5,
        queues: [{ name: 'only-tools', processor: 'echo' }],
      },
      probe: {
        image: REDIS_IMAGE,
        command: PROBE_COMMAND,
        // `up` waits until a custom pool's container with a healthcheck is healthy.
        healthcheck: [
          'CMD-SHELL',
          'redis-cli -u "$(cat "$GUILDHALL_REDIS_URL_FILE")" get custom-pool-ok | grep -q 1',
        ],
        cpus: 0.5,
        memoryMb: 128,
        stopTimeoutSeconds: 1,
        env: { PROBE: 'yes' },
      },
    });
    const status = await cluster.core.cluster.up();
    const after = await idsByName();
    expect(after.get(n('redis-1'))).toBe(before.get(n('redis-1')));
    expect(after.get(n('worker-1'))).toBe(before.get(n('worker-1')));
    expect([...after.keys()].sort()).toEqual(
      [n('probe-1'), n('redis-1'), n('tools-1'), n('worker-1')].sort(),
    );
    expect(status.state).toBe('running');
    expect(status.pools).toEqual([
      expect.objectContaining({ name: 'worker', kind: 'builtin', desired: 1, running: 1 }),
      expect.objectContaining({
        name: 'probe',
        kind: 'custom',
        image: REDIS_IMAGE,
        desired: 1,
        running: 1,
      }),
      expect.objectContaining({ name: 'tools', kind: 'builtin', desired: 1, running: 1 }),
    ]);
    expect(status.workers.map((w) => [w.name, w.pool])).toEqual([
      [n('worker-1'), 'worker'],
      [n('probe-1'), 'probe'],
      [n('tools-1'), 'tools'],
    ]);
    expect((await docker.getContainer(n('probe-1')).inspect()).State.Health?.Status).toBe(
      'healthy',
    );
    expect(status.desiredWorkers).toBe(3);
    const password = await cluster.core.cluster.password(cluster.name);
    redis = new Redis({ host: '127.0.0.1', port: cluster.port, password, lazyConnect: true });
  });

  it('a custom pool reaches Redis with the URL file and carries its labels and limits', async () => {
    const deadline = Date.now() + 20_000;
    while ((await redis.get('custom-pool-ok')) !== '1' && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    expect(await redis.get('custom-pool-ok')).toBe('1');

    const probe = await docker.getContainer(n('probe-1')).inspect();
    expect(probe.Config.Labels).toMatchObject({
      'com.docker.compose.project': cluster.name,
      'com.docker.compose.service': 'probe',
      'io.guildhall.pool': 'probe',
      'io.guildhall.cluster': cluster.name,
    });
    expect(probe.HostConfig).toMatchObject({
      NanoCpus: 5e8,
      Memory: 128 * 1024 * 1024,
      CapDrop: ['ALL'],
      SecurityOpt: ['no-new-privileges'],
      RestartPolicy: { Name: 'unless-stopped' },
    });
    expect(probe.Config.Env).toEqual(
      expect.arrayContaining([
        'GUILDHALL_REDIS_HOST=redis',
        'GUILDHALL_REDIS_PORT=6379',
        'GUILDHALL_REDIS_URL_FILE=/run/guildhall/redis-url',
        'PROBE=yes',
      ]),
    );
    // The password is in the file only, not in what `docker inspect` shows.
    const password = await cluster.core.cluster.password(cluster.name);
    expect(JSON.stringify(probe)).not.toContain(password);

    const tools = await docker.getContainer(n('tools-1')).inspect();
    expect(tools.Config.Labels).toMatchObject({
      'com.docker.compose.service': 'tools',
      'io.guildhall.pool': 'tools',
    });
    expect(tools.HostConfig.Memory).toBe(384 * 1024 * 1024);
    expect((tools.Config as { StopTimeout?: number }).StopTimeout).toBe(5);
  });

  it("runs jobs of a queue only one built-in pool serves in that pool's workers", async () => {
    const connection = { host: '127.0.0.1', port: cluster.port, password: redis.options.password };
    const queue = new Queue('only-tools', { connection });
    const events = new QueueEvents('only-tools', { connection });
    try {
      await events.waitUntilReady();
      const jobs = await queue.addBulk(
        Array.from({ length: 6 }, (_, i) => ({ name: 'e', data: { i } })),
      );
      const results = await Promise.all(jobs.map((job) => job.waitUntilFinished(events, 30_000)));
      expect(results.map((r) => (r as { i: number }).i)).toEqual([0, 1, 2, 3, 4, 5]);
      for (const job of jobs) {
        expect((await queue.getJob(job.id!))?.processedBy).toBe(n('tools-1'));
      }
      // The default pool does not consume it; the tools pool consumes only it.
      const beat = (name: string) =>
        redis
          .get(heartbeatKey(cluster.name, name))
          .then((v) => JSON.parse(v!) as { queues: string[] });
      expect((await beat(n('worker-1'))).queues).not.toContain('only-tools');
      expect((await beat(n('tools-1'))).queues).toEqual(['only-tools']);
    } finally {
      await events.close();
      await queue.close();
    }
  });

  it('scales one pool without touching the others (the API names the pool)', async () => {
    const before = await idsByName();
    const services = new ApiServices({ core: cluster.core });
    const ipc = messagePortClient(services);
    let status;
    try {
      status = await ipc.client.cluster.scale({ replicas: 2, pool: 'tools' });
      const unknown = await apiErrorOf(ipc.client.cluster.scale({ replicas: 1, pool: 'nope' }));
      expect(unknown).toMatchObject({ code: 'not-found', hint: expect.stringMatching(/worker/) });
    } finally {
      ipc.close();
      await services.close();
    }
    const after = await idsByName();
    for (const name of ['redis-1', 'worker-1', 'probe-1', 'tools-1'].map(n)) {
      expect(after.get(name)).toBe(before.get(name));
    }
    expect(after.has(n('tools-2'))).toBe(true);
    expect(status.pools.find((p) => p.name === 'tools')).toMatchObject({ desired: 2, running: 2 });
    const { spec } = await cluster.core.cluster.spec();
    expect(spec.pools.tools?.replicas).toBe(2);
    expect(spec.workers.replicas).toBe(1);
  });

  it('refuses an unknown pool, more than 64 in all and a missing image, changing nothing', async () => {
    const before = await idsByName();
    const settingsBefore = JSON.stringify((await cluster.core.settings.load()).settings);

    const unknown = await errorOf(() => cluster.core.cluster.scale(1, { pool: 'nope' }));
    expect(isGuildhallError(unknown) && unknown.code).toBe('not-found');
    expect((unknown as Error).message).toMatch(/has no pool "nope"/);

    const tooMany = await errorOf(() => cluster.core.cluster.scale(63, { pool: 'tools' }));
    expect(isGuildhallError(tooMany) && tooMany.code).toBe('invalid-input');
    expect((tooMany as Error).message).toMatch(/At most 64 containers in all pools together/);

    const unknownLog = await errorOf(() => cluster.core.cluster.logs('nope-1'));
    expect(isGuildhallError(unknownLog) && unknownLog.code).toBe('not-found');
    expect((unknownLog as { hint?: string }).hint).toMatch(/pools: worker, probe, tools/);

    expect(JSON.stringify((await cluster.core.settings.load()).settings)).toBe(settingsBefore);

    // A custom pool whose image is nowhere: a clear image error; the running pools stay.
    const current = (await cluster.core.settings.load()).settings.cluster.pools;
    await setPools({ ...current, ghost: { image: 'guildhall-test-missing/nope:1' } });
    const missing = await errorOf(() => cluster.core.cluster.up());
    expect(isGuildhallError(missing) && missing.code).toMatch(/^image-/);
    expect((missing as Error).message).toMatch(/Pool ghost: image guildhall-test-missing\/nope:1/);
    expect(await idsByName()).toEqual(before);
    await setPools(current);
    expect(await idsByName()).toEqual(before);
  });

  it('lists pools and scales and reads logs by pool from the CLI', async () => {
    const pools = await runCli(['pools', '--json'], cluster.env);
    expect(pools.code).toBe(0);
    const view = JSON.parse(pools.stdout) as {
      name: string;
      kind: string;
      replicas: number;
      containers: { name: string; state: string }[];
    }[];
    expect(view.map((p) => [p.name, p.kind, p.replicas, p.containers.length])).toEqual([
      ['worker', 'builtin', 1, 1],
      ['probe', 'custom', 1, 1],
      ['tools', 'builtin', 2, 2],
    ]);
    expect(view[2]!.containers.map((c) => c.state)).toEqual(['running', 'running']);

    // With several pools, plain `scale N` must say which pool.
    const plain = await runCli(['scale', '3'], cluster.env);
    expect(plain.code).toBe(2);
    expect(plain.stderr).toMatch(/several pools \(worker, probe, tools\)/);

    const logs = await runCli(['logs', 'tools-1', '--tail', '50'], cluster.env);
    expect(logs.code).toBe(0);
    expect(logs.stdout + logs.stderr).toMatch(/only-tools/);
    const none = await runCli(['logs', 'nope-1'], cluster.env);
    expect(none.code).toBe(6);
  });

  it("doctor's workers check covers every pool: a missing container is named with its pool", async () => {
    const healthy = await runCheck(cluster.core, 'workers.healthy', { env: cluster.env });
    expect(healthy?.status).toBe('passed');
    expect(healthy?.message).toMatch(/All 4 container\(s\) of 3 pools run/);

    await docker.getContainer(n('tools-2')).remove({ force: true });
    const missing = await runCheck(cluster.core, 'workers.healthy', { env: cluster.env });
    expect(missing?.status).toBe('failed');
    expect(missing?.message).toMatch(new RegExp(`${n('tools-2')} \\(pool tools\\) is missing`));
    await cluster.core.cluster.up(); // puts it back for the next test
  });

  it('removes the containers of a pool taken out of the spec, and only those', async () => {
    const before = await idsByName();
    const current = (await cluster.core.settings.load()).settings.cluster.pools;
    const { probe: _probe, ...rest } = current;
    await setPools(rest);
    const status = await cluster.core.cluster.up();
    const after = await idsByName();
    expect(after.has(n('probe-1'))).toBe(false);
    for (const name of ['redis-1', 'worker-1', 'tools-1', 'tools-2'].map(n)) {
      expect(after.get(name)).toBe(before.get(name));
    }
    expect(status.pools.map((p) => p.name)).toEqual(['worker', 'tools']);
  });
});
