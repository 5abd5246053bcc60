/**
 * Diagnostics fix the container of the pool a finding is about (issue 14), against a real engine,
 * Redis and BullMQ workers: a second pool's stopped container is offered `restart-worker:extra-2`
 * and a crash-looping one `recreate-worker:extra-1`; running them repairs that pool's container
 * and leaves the default pool's worker of the same number alone.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyFix, runCheck } from '../../main/diagnostics/diagnostics';
import type { ClusterSpec } from '../../main/settings/cluster-spec';
import { poolSpecSchema } from '../../main/settings/pool-spec';
import { crashOnce } from './helpers/diagnostics-helpers';
import { createTestCluster, docker, type TestCluster } from './helpers/test-cluster';

/** The worker program's user: signals reach its processes only as that user. */

let cluster: TestCluster;

async function state(name: string): Promise<{ id: string; startedAt: string; restarts: number }> {
  const info = await docker.getContainer(name).inspect();
  return { id: info.Id, startedAt: info.State.StartedAt, restarts: info.RestartCount };
}

beforeAll(async () => {
  cluster = await createTestCluster({ workers: 1 });
  await cluster.core.settings.update((s) => ({
    ...s,
    cluster: {
      ...s.cluster,
      pools: {
        extra: poolSpecSchema.parse({ replicas: 2, memoryMb: 256, stopTimeoutSeconds: 5 }),
      } as ClusterSpec['pools'],
    },
  }));
  await cluster.core.cluster.up();
});

afterAll(async () => {
  await cluster?.cleanup();
});

describe('worker fixes act on the pool of the finding', () => {
  it("a second pool's stopped container is restarted by restart-worker:extra-2", async () => {
    const extra2 = `${cluster.name}-extra-2`;
    const worker1 = `${cluster.name}-worker-1`;
    const workerBefore = await state(worker1);
    await docker.getContainer(extra2).stop({ t: 2 });

    const outcome = await runCheck(cluster.core, 'workers.healthy', { env: cluster.env });
    expect(outcome?.status).toBe('failed');
    expect(outcome?.message).toMatch(/^extra-2 is exited/);
    expect(outcome?.fixes.map((f) => [f.id, f.label])).toEqual([
      ['restart-worker:extra-2', 'Restart extra-2'],
      ['recreate-worker:extra-2', 'Recreate extra-2'],
    ]);

    const fixed = await applyFix(cluster.core, 'restart-worker:extra-2', {
      checkId: 'workers.healthy',
      env: cluster.env,
    });
    expect(fixed.outcome.message).toBe('extra-2 was restarted.');
    expect(fixed.recheck?.status).toBe('passed');
    expect((await docker.getContainer(extra2).inspect()).State.Running).toBe(true);
    expect(await state(worker1)).toEqual(workerBefore);
  });

  it("a second pool's crash-looping container is recreated by recreate-worker:extra-1", async () => {
    const extra1 = `${cluster.name}-extra-1`;
    const worker1 = `${cluster.name}-worker-1`;
    const workerBefore = await state(worker1);
    for (let kill = 1; kill <= 3; kill++) await crashOnce(docker, extra1);
    const before = await state(extra1);

    const outcome = await runCheck(cluster.core, 'workers.healthy', { env: cluster.env });
    expect(outcome?.status).toBe('failed');
    expect(outcome?.message).toMatch(/extra-1 is crash-looping: restarted 3 times/);
    expect(outcome?.fixes.map((f) => f.id)).toEqual([
      'restart-worker:extra-1',
      'recreate-worker:extra-1',
    ]);

    // Held as the supervisor holds a crash loop (policy `no`, stopped): still a crash loop,
    // named by its last crash (137), not by the stop.
    const container = docker.getContainer(extra1);
    await container.update({ RestartPolicy: { Name: 'no' } });
    await container.stop({ t: 5 });
    const held = await runCheck(cluster.core, 'workers.healthy', { env: cluster.env });
    expect(held?.status).toBe('failed');
    expect(held?.message).toMatch(
      /extra-1 is crash-looping: restarted 3 times, last exit code 137.*; it is stopped now\./,
    );
    expect(held?.fixes.map((f) => f.id)).toContain('recreate-worker:extra-1');

    const fixed = await applyFix(cluster.core, 'recreate-worker:extra-1', {
      checkId: 'workers.healthy',
      env: cluster.env,
    });
    expect(fixed.outcome.message).toBe('extra-1 was recreated.');
    expect(fixed.recheck?.status).toBe('passed');
    const after = await state(extra1);
    expect(after.id).not.toBe(before.id);
    expect(after.restarts).toBe(0);
    expect(await state(worker1)).toEqual(workerBefore);
  });

  it('a fix naming a pool the cluster does not have says which pools it has', async () => {
    await expect(
      applyFix(cluster.core, 'restart-worker:nope-1', { checkId: 'workers.healthy' }),
    ).rejects.toMatchObject({
      code: 'not-found',
      message: `Cluster ${cluster.name} has no pool "nope".`,
      hint: 'Its pools are: worker, extra.',
    });
  });
});
