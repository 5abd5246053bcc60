/**
 * Autoscale of a custom pool on its watched Celery queues (issue 15): a custom pool (any image;
 * here the Redis image idling) watching `tasks` scales up on the list's length, priority lists
 * included, and back to min once the list is empty and the cooldown has passed. The duty's
 * tick() is driven as the supervisor will drive it, on a real cluster.
 */
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CELERY_PRIORITY_SEPARATOR } from '../../main/queues/celery-queues';
import type { ClusterSpec } from '../../main/settings/cluster-spec';
import { createAutoscaleDuty } from '../../main/supervisor/autoscale';
import { connectionFromUrl } from './helpers/cluster-jobs-kit';
import { DutyTicker } from './helpers/duty-ticker';
import { createTestCluster, type TestCluster } from './helpers/test-cluster';

const REDIS_IMAGE = process.env.GUILDHALL_REDIS_IMAGE ?? 'guildhall-offline/redis:bookworm';

let tc: TestCluster;
let redis: Redis;
let ticker: DutyTicker;
/** Every scale the duty asked for, counted on the way to the real cluster service. */
const scales: { pool: string; replicas: number }[] = [];

beforeAll(async () => {
  const duty = createAutoscaleDuty({
    scale: async (context, pool, replicas) => {
      scales.push({ pool, replicas });
      await context.core.cluster.scale(replicas, { pool, waitForWorkers: false });
    },
  });
  tc = await createTestCluster({ workers: 0 });
  await tc.core.settings.update((s) => ({
    ...s,
    cluster: {
      ...s.cluster,
      // cpuSaturatedPercent 100: no CPU bound (a shared test machine often reads 100 %).
      supervisor: { ...s.cluster.supervisor, memoryMarginMb: 256, cpuSaturatedPercent: 100 },
      pools: {
        celery: {
          image: REDIS_IMAGE,
          command: ['sleep', '3600'],
          replicas: 1,
          memoryMb: 64,
          cpus: 0.25,
          stopTimeoutSeconds: 1,
          watch: { celery: ['tasks'] },
          autoscale: { min: 1, max: 3, backlogPerWorker: 10, cooldownSeconds: 2 },
        },
      } as unknown as ClusterSpec['pools'],
    },
  }));
  await tc.core.cluster.up();
  redis = new Redis({ ...connectionFromUrl(await tc.core.cluster.connectionUrl()) });
  ticker = new DutyTicker(tc.core, duty);
});

afterAll(async () => {
  await ticker?.stop();
  redis?.disconnect();
  await tc?.cleanup();
});

async function celeryContainers(): Promise<number> {
  return (await tc.core.cluster.status()).workers.filter((w) => w.pool === 'celery').length;
}

describe('autoscale of a custom pool', () => {
  it('scales on the watched Celery list lengths and back to min when they empty', async () => {
    await redis.lpush('tasks', ...Array.from({ length: 20 }, (_, i) => `t${i}`));
    await redis.lpush(`tasks${CELERY_PRIORITY_SEPARATOR}3`, ...['p1', 'p2', 'p3', 'p4', 'p5']);
    ticker.start();
    await ticker.waitFor(
      () => ticker.events.some((e) => e.action === 'scale-up'),
      30_000,
      'a scale-up',
    );
    const up = ticker.events.find((e) => e.action === 'scale-up')!;
    expect(up).toMatchObject({ kind: 'action', pool: 'celery' });
    expect(up.reason).toBe('1 → 3: 25 waiting, target 10 per worker');
    expect(await celeryContainers()).toBe(3);
    expect((await tc.core.cluster.spec()).spec.pools.celery!.replicas).toBe(3);

    await redis.del('tasks', `tasks${CELERY_PRIORITY_SEPARATOR}3`);
    await ticker.waitFor(
      () => ticker.events.some((e) => e.action === 'scale-down'),
      30_000,
      'a scale-down',
    );
    const down = ticker.events.find((e) => e.action === 'scale-down')!;
    expect(down.reason).toBe('3 → 1: 0 waiting, target 10 per worker, min 1');
    expect(await celeryContainers()).toBe(1);
    expect(ticker.errors).toEqual([]);
  });

  it("a scale that fails is one hold with the core's error, not an `up` every tick", async () => {
    await ticker.pause();
    const before = ticker.events.length;
    // A pool whose image is nowhere: every `up` of the cluster fails on it.
    await tc.core.settings.update((s) => ({
      ...s,
      cluster: {
        ...s.cluster,
        pools: {
          ...s.cluster.pools,
          ghost: {
            ...s.cluster.pools.celery!,
            image: 'guildhall-test-missing/nope:1',
            replicas: 0,
            watch: { celery: [] },
            autoscale: { min: 1, max: 2, backlogPerWorker: 10, cooldownSeconds: 2 },
          },
        },
      },
    }));
    ticker.start();
    await ticker.waitFor(
      () => ticker.events.slice(before).some((e) => e.pool === 'ghost'),
      60_000,
      'the ghost pool held',
    );
    await new Promise((resolve) => setTimeout(resolve, 3000));
    await ticker.pause();
    const ghost = ticker.events.slice(before).filter((e) => e.pool === 'ghost');
    expect(ghost).toHaveLength(1);
    expect(ghost[0]).toMatchObject({
      kind: 'decision',
      action: 'hold',
      detail: { code: 'failed' },
    });
    expect(ghost[0]!.reason).toMatch(
      /^held at 0: scaling to 1 failed: .*guildhall-test-missing\/nope:1/,
    );
    expect((await tc.core.cluster.spec()).spec.pools.ghost!.replicas).toBe(0);
    // Tried once in these ticks: the next try waits FAILED_RETRY_MS.
    expect(scales.filter((s) => s.pool === 'ghost')).toHaveLength(1);
    expect(ticker.errors).toEqual([]);
  });
});
