/**
 * Autoscale on a real cluster (issue 15): the autoscale duty's tick() driven about once a second,
 * as the supervisor will, with the real core and the cluster's status. 2,000 sleep jobs of
 * 200 ms on the default pool (autoscale 1..6): it scales up within 10 s of the backlog, comes back
 * to min after the backlog drains and the cooldown passes, and every job completes exactly once.
 * Then a memory margin larger than the host's free memory: scale-up is refused, once, with the
 * reason recorded.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAutoscaleDuty } from '../../main/supervisor/autoscale';
import type { SupervisorDuty } from '../../main/supervisor/duty';
import { connectionFromUrl, JobTracker, type RedisConnection } from './helpers/cluster-jobs-kit';
import { DutyTicker } from './helpers/duty-ticker';
import { createTestCluster, type TestCluster } from './helpers/test-cluster';

const COOLDOWN_SECONDS = 5;
const JOBS = 2000;

let tc: TestCluster;
let connection: RedisConnection;
let tracker: JobTracker;
let ticker: DutyTicker;
let duty: SupervisorDuty;

async function poolReplicas(): Promise<number> {
  return (await tc.core.cluster.spec()).spec.workers.replicas;
}

async function poolContainers(): Promise<number> {
  return (await tc.core.cluster.status()).workers.filter((w) => w.pool === 'worker').length;
}

async function saveSupervisor(memoryMarginMb: number): Promise<void> {
  const { settings } = await tc.core.settings.load();
  await tc.core.settings.save({
    ...settings,
    cluster: {
      ...settings.cluster,
      // 100: no CPU bound (a test machine shared with other work often reads 100 %).
      supervisor: { ...settings.cluster.supervisor, memoryMarginMb, cpuSaturatedPercent: 100 },
      workers: {
        ...settings.cluster.workers,
        autoscale: { min: 1, max: 6, backlogPerWorker: 50, cooldownSeconds: COOLDOWN_SECONDS },
      },
    },
  });
}

beforeAll(async () => {
  duty = createAutoscaleDuty(); // as the supervisor makes it: before the cluster's first tick
  tc = await createTestCluster({ workers: 1, concurrency: 5, memoryMb: 256 });
  await saveSupervisor(256);
  await tc.core.cluster.up();
  connection = connectionFromUrl(await tc.core.cluster.connectionUrl());
  tracker = await JobTracker.open('sleep', connection);
  ticker = new DutyTicker(tc.core, duty);
});

afterAll(async () => {
  await ticker?.stop();
  await tracker?.close();
  await tc?.cleanup();
});

describe('autoscale duty', () => {
  it('scales 1 → up within 10 s of a backlog, back to min after it drains; each job once', async () => {
    ticker.start();
    const ids = await tracker.addBulk(
      Array.from({ length: JOBS }, () => ({ ms: 200 })),
      'autoscale',
    );
    const backlogAt = Date.now();

    await ticker.waitFor(
      () => ticker.events.some((e) => e.action === 'scale-up'),
      30_000,
      'a scale-up',
    );
    const up = ticker.events.find((e) => e.action === 'scale-up')!;
    expect(up.at - backlogAt).toBeLessThanOrEqual(10_000);
    expect(up).toMatchObject({ kind: 'action', pool: 'worker' });
    expect(up.reason).toMatch(/^1 → 6: \d+ waiting, target 50 per worker, max 6$/);
    expect(up.detail).toMatchObject({ from: 1, to: 6, perWorker: 50 });
    expect(await poolReplicas()).toBe(6);
    expect(await poolContainers()).toBe(6);

    await tracker.settled(ids, 120_000);
    const drainedAt = Date.now();
    await ticker.waitFor(
      async () => (await poolReplicas()) === 1 && (await poolContainers()) === 1,
      COOLDOWN_SECONDS * 1000 * 3 + 30_000,
      'the pool back at min',
    );
    const backAt = Date.now();
    const downs = ticker.events.filter((e) => e.action === 'scale-down');
    expect(downs.length).toBeGreaterThan(0);
    expect(downs.at(-1)!.detail).toMatchObject({ to: 1, backlog: 0 });
    // Measured, not a speed claim: how long after the drain the pool was back at min.
    console.log(
      `autoscale: scale-up ${up.at - backlogAt} ms after the backlog; back at min ` +
        `${backAt - drainedAt} ms after the drain (cooldown ${COOLDOWN_SECONDS} s); events:\n` +
        ticker.describe(),
    );

    // Every job completed, exactly once: no failure, no stall, one attempt each.
    expect(tracker.failures.size).toBe(0);
    expect(tracker.stalled.size).toBe(0);
    expect(tracker.completions.size).toBe(JOBS);
    expect([...tracker.completions.values()].every((n) => n === 1)).toBe(true);
    const counts = await tracker.queue.getJobCounts('completed', 'failed', 'active', 'wait');
    expect(counts).toMatchObject({ completed: JOBS, failed: 0, active: 0, wait: 0 });
    const jobs = await tracker.queue.getJobs(['completed'], 0, JOBS);
    expect(jobs).toHaveLength(JOBS);
    expect(jobs.filter((j) => j.attemptsStarted !== 1 || j.stalledCounter !== 0)).toEqual([]);
    expect(ticker.errors).toEqual([]);
  });

  it('refuses to scale up while the memory margin is more than the host has free', async () => {
    await ticker.pause();
    await saveSupervisor(1_000_000);
    const before = ticker.events.length;
    const ids = await tracker.addBulk(
      Array.from({ length: 500 }, () => ({ ms: 200 })),
      'held',
    );
    ticker.start();
    await ticker.waitFor(
      () => ticker.events.slice(before).some((e) => e.action === 'hold'),
      15_000,
      'a hold',
    );
    // A few more ticks: the same hold is recorded once, not on every tick.
    await new Promise((resolve) => setTimeout(resolve, 3500));
    await ticker.pause();
    const recorded = ticker.events.slice(before);
    const holds = recorded.filter((e) => e.action === 'hold');
    expect(holds).toHaveLength(1);
    expect(holds[0]).toMatchObject({ kind: 'decision', pool: 'worker' });
    expect(holds[0]!.reason).toMatch(
      /^held at 1 \(wanted 6\): [\d.]+ GB memory free, 256 MB per worker \+ 977 GB margin$/,
    );
    expect(holds[0]!.detail).toMatchObject({ code: 'memory', marginMb: 1_000_000, memoryMb: 256 });
    expect(recorded.filter((e) => e.action === 'scale-up')).toEqual([]);
    expect(await poolReplicas()).toBe(1);
    await tracker.settled(ids, 120_000); // the one worker still serves them all
    expect(ticker.errors).toEqual([]);
  });
});
