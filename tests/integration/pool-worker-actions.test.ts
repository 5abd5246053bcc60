/**
 * Restarting and stopping a worker of a pool other than the default one, over the API as the
 * console's Workers page calls it: the container `<cluster>-<pool>-<n>` is the one restarted or
 * stopped, the default pool's worker of the same number is left alone, and a number or pool the
 * cluster does not have is a not-found error naming what it has. The audit log names the pool.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiServices } from '../../main/api/context';
import type { ClusterSpec } from '../../main/settings/cluster-spec';
import { poolSpecSchema } from '../../main/settings/pool-spec';
import { apiErrorOf, messagePortClient, type TransportClient } from './helpers/api-clients';
import { createTestCluster, docker, type TestCluster } from './helpers/test-cluster';

let cluster: TestCluster;
let services: ApiServices;
let ipc: TransportClient;

async function startedAt(name: string): Promise<{ running: boolean; startedAt: string }> {
  const info = await docker.getContainer(name).inspect();
  return { running: info.State.Running, startedAt: info.State.StartedAt };
}

beforeAll(async () => {
  cluster = await createTestCluster({ workers: 1 });
  await cluster.core.settings.update((s) => ({
    ...s,
    cluster: {
      ...s.cluster,
      pools: {
        extra: poolSpecSchema.parse({ replicas: 1, memoryMb: 256, stopTimeoutSeconds: 5 }),
      } as ClusterSpec['pools'],
    },
  }));
  await cluster.core.cluster.up();
  services = new ApiServices({ core: cluster.core });
  ipc = messagePortClient(services);
});
afterAll(async () => {
  ipc?.close();
  await services?.close();
  await cluster?.cleanup();
});

describe('worker actions on a non-default pool', () => {
  it('restarts and stops <cluster>-extra-1, leaving worker-1 alone', async () => {
    const extra = `${cluster.name}-extra-1`;
    const worker = `${cluster.name}-worker-1`;
    const extraBefore = await startedAt(extra);
    const workerBefore = await startedAt(worker);

    const restarted = await ipc.client.cluster.restartWorker({ number: 1, pool: 'extra' });
    const extraAfter = await startedAt(extra);
    expect(extraAfter.running).toBe(true);
    expect(extraAfter.startedAt).not.toBe(extraBefore.startedAt);
    expect(await startedAt(worker)).toEqual(workerBefore);
    expect(restarted.workers.find((w) => w.name === extra)?.state).toBe('running');

    const stopped = await ipc.client.cluster.stopWorker({ number: 1, pool: 'extra' });
    expect((await startedAt(extra)).running).toBe(false);
    expect((await startedAt(worker)).running).toBe(true);
    expect(stopped.workers.find((w) => w.name === extra)?.state).toBe('exited');
    expect(stopped.workers.find((w) => w.name === worker)?.state).toBe('running');

    // Restart starts a stopped container again.
    await ipc.client.cluster.restartWorker({ number: 1, pool: 'extra' });
    expect((await startedAt(extra)).running).toBe(true);

    const { entries } = await ipc.client.audit.list({ action: 'cluster.stopWorker' });
    expect(entries[0]?.target).toBe(`cluster:${cluster.name}/extra-1`);
  });

  it('names what the pool has when its worker or the pool does not exist', async () => {
    const noWorker = await apiErrorOf(
      ipc.client.cluster.restartWorker({ number: 3, pool: 'extra' }),
    );
    expect(noWorker).toMatchObject({
      code: 'not-found',
      message: `Cluster ${cluster.name} has no worker extra-3.`,
      hint: "Pool extra's workers are: extra-1.",
    });
    const noPool = await apiErrorOf(ipc.client.cluster.stopWorker({ number: 1, pool: 'nope' }));
    expect(noPool).toMatchObject({ code: 'not-found', hint: 'Its pools are: worker, extra.' });
    // The default pool keeps its wording (and is what a call without a pool means).
    const noDefault = await apiErrorOf(ipc.client.cluster.restartWorker({ number: 2 }));
    expect(noDefault).toMatchObject({ code: 'not-found', hint: 'Its workers are: 1.' });
  });
});
