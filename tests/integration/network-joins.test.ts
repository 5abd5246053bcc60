/**
 * The engine-event watch `up` uses to let Redis through the engine's network stage before the
 * workers' starts: it must see a real join, fall back to its wait limit for a container that never
 * joins, and release waiters when closed. And `up` itself: the workers are let go on Redis's
 * reported join, and Redis joins the cluster network before any worker does, on every run.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { networkName } from '../../main/cluster/naming';
import { watchNetworkJoins } from '../../main/cluster/network-joins';
import { followJsonLines } from '../../main/util/json-lines';
import type { ProgressEvent } from '../../main/util/progress';
import { waitFor } from './helpers/queues-fixture';
import {
  clusterContainers,
  createTestCluster,
  docker,
  type TestCluster,
} from './helpers/test-cluster';

const image = process.env.GUILDHALL_REDIS_IMAGE ?? 'guildhall-offline/redis:bookworm';

describe('watchNetworkJoins', () => {
  const network = `ghjoin-${randomBytes(3).toString('hex')}`;
  const created: string[] = [];

  beforeAll(async () => {
    await docker.createNetwork({ Name: network, Driver: 'bridge' });
  });
  afterAll(async () => {
    await Promise.allSettled(created.map((id) => docker.getContainer(id).remove({ force: true })));
    await docker
      .getNetwork(network)
      .remove()
      .catch(() => {});
  });

  async function createOnNetwork(): Promise<string> {
    const container = await docker.createContainer({
      Image: image,
      Cmd: ['sleep', '30'],
      HostConfig: { Init: true, NetworkMode: network },
    });
    created.push(container.id);
    return container.id;
  }

  it('resolves when the container joins, long before its wait limit', async () => {
    const watch = await watchNetworkJoins(docker, network);
    try {
      expect(watch.following).toBe(true);
      const id = await createOnNetwork();
      const joined = watch.joined(id, 20_000);
      // Not before the container starts (a watch that follows nothing would resolve at once).
      const early = await Promise.race([
        joined.then(() => 'resolved'),
        new Promise((resolve) => setTimeout(() => resolve('pending'), 300)),
      ]);
      expect(early).toBe('pending');
      const asked = Date.now();
      await docker.getContainer(id).start();
      expect(await joined).toBe(true);
      expect(Date.now() - asked).toBeLessThan(10_000);
      // A join seen before anyone asks is remembered.
      const again = Date.now();
      expect(await watch.joined(id, 20_000)).toBe(true);
      expect(Date.now() - again).toBeLessThan(100);
    } finally {
      watch.close();
    }
  });

  it('gives up at its wait limit for a container that never joins, and close releases waiters', async () => {
    const watch = await watchNetworkJoins(docker, network);
    const id = await createOnNetwork(); // created, never started
    const started = Date.now();
    expect(await watch.joined(id, 300)).toBe(false);
    const waited = Date.now() - started;
    expect(waited).toBeGreaterThanOrEqual(290);
    expect(waited).toBeLessThan(5_000);

    const pending = watch.joined(id, 60_000);
    watch.close();
    expect(await pending).toBe(false); // would hang for a minute if close did not release it
    expect(await watch.joined(id, 60_000)).toBe(false); // and nothing waits once closed
  });
});

describe('up', () => {
  let tc: TestCluster;
  beforeAll(async () => {
    tc = await createTestCluster({ workers: 3 });
  });
  afterAll(async () => {
    await tc?.cleanup();
  });

  it('starts Redis through the network stage before any worker, on every run', async () => {
    for (let round = 0; round < 3; round++) {
      const joins: string[] = [];
      const stream = await docker.getEvents({
        filters: { type: ['network'], event: ['connect'], network: [networkName(tc.name)] },
      });
      const stop = followJsonLines(stream, {
        onValue: (event) => {
          const id = (event as { Actor?: { Attributes?: { container?: string } } }).Actor
            ?.Attributes?.container;
          if (id) joins.push(id);
        },
      });
      try {
        const events: ProgressEvent[] = [];
        await tc.core.cluster.up({ onProgress: (event) => events.push(event) });
        await waitFor(() => joins.length >= 4, 5_000, 'four network joins');
        // The workers were let go on Redis's reported join, not on the wait limit.
        expect(
          events.some((e) => e.step === 'redis' && e.message?.startsWith('on the network')),
        ).toBe(true);
      } finally {
        stop();
        (stream as unknown as { destroy(): void }).destroy();
      }
      const redis = (await clusterContainers(tc.name)).find(
        (c) => c.Labels['com.docker.compose.service'] === 'redis',
      );
      expect(joins).toHaveLength(4);
      expect(joins[0]).toBe(redis?.Id);
      await tc.core.cluster.down();
    }
  });
});
