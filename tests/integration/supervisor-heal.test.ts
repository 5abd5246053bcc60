/**
 * The supervisor's heal duty on a real engine and Redis (issue 15): a worker removed by hand is
 * back within 5 s without any user action, and the event says why; a container whose healthcheck
 * keeps failing is restarted after spec.supervisor.unhealthyChecks failures; a worker the user
 * stopped, and a cluster taken down, are left alone. Every action is in the audit log as the
 * "supervisor" face.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditSinkFor } from '../../main/audit';
import type { ClusterSpec } from '../../main/settings/cluster-spec';
import type { Supervisor } from '../../main/supervisor/supervisor';
import { engineState, events, sleep, startSupervisor, until } from './helpers/supervisor-kit';
import { createTestCluster, docker, type TestCluster } from './helpers/test-cluster';

const REDIS_IMAGE = process.env.GUILDHALL_REDIS_IMAGE ?? 'guildhall-offline/redis:bookworm';

let cluster: TestCluster;
let supervisor: Supervisor | null = null;
const lines: string[] = [];
const n = (suffix: string) => `${cluster.name}-${suffix}`;

beforeAll(async () => {
  cluster = await createTestCluster({ workers: 1 });
  await cluster.core.settings.update((s) => ({
    ...s,
    cluster: {
      ...s.cluster,
      supervisor: { ...s.cluster.supervisor, unhealthyChecks: 2 },
      pools: {
        // Healthy while /tmp/ok exists; the test removes it to make its checks fail.
        flaky: {
          image: REDIS_IMAGE,
          command: ['sh', '-c', 'touch /tmp/ok; exec sleep 100000'],
          healthcheck: ['CMD-SHELL', 'test -f /tmp/ok'],
          memoryMb: 64,
          cpus: 0.25,
          stopTimeoutSeconds: 1,
        },
      } as unknown as ClusterSpec['pools'],
    },
  }));
  await cluster.core.cluster.up();
  supervisor = startSupervisor(cluster.core, { lines });
  await until('the supervisor to hold the lease', async () => supervisor!.holding, 20_000);
}, 180_000);

afterAll(async () => {
  await supervisor?.stop();
  await cluster?.cleanup();
});

describe('the heal duty', () => {
  it('brings back a worker removed with `docker rm -f` within 5 s, and says why', async () => {
    const name = n('worker-1');
    const before = await engineState(name);
    expect(before?.running).toBe(true);
    await docker.getContainer(name).remove({ force: true });
    const removedAt = Date.now();
    const back = await until(
      'the worker to run again',
      async () => {
        const state = await engineState(name);
        return state?.running && state.id !== before!.id ? state : null;
      },
      15_000,
      50,
    );
    const elapsed = Date.now() - removedAt;
    console.info(`worker back ${elapsed} ms after docker rm -f`);
    expect(back.running).toBe(true);
    expect(elapsed).toBeLessThan(5_000);

    const recreated = await until(
      'the recreate event',
      async () =>
        (await events(cluster.core)).find((e) => e.action === 'recreate' && e.target === name),
      5_000,
    );
    expect(recreated).toMatchObject({
      kind: 'action',
      pool: 'worker',
      by: supervisor!.identity.id,
    });
    expect(recreated.reason).toMatch(/worker-1 was missing/);

    const audit = await until(
      'the audit entry',
      async () =>
        (await auditSinkFor(cluster.core).log.read()).find(
          (e) => e.face === 'supervisor' && e.action === 'supervisor.recreate',
        ),
      5_000,
    );
    expect(audit.target).toBe(`cluster:${cluster.name}/worker-1`);
    expect(audit.outcome).toBe('ok');
  }, 40_000);

  it('restarts a container whose healthcheck failed unhealthyChecks times in a row', async () => {
    const name = n('flaky-1');
    const before = await engineState(name);
    expect(before?.running).toBe(true);
    const exec = await docker.getContainer(name).exec({ Cmd: ['rm', '-f', '/tmp/ok'] });
    await exec.start({ Detach: true });
    // Checks run every 10 s: two failures take 20 s or so.
    const restarted = await until(
      'the restart',
      async () => {
        const state = await engineState(name);
        return state?.running && state.startedAt !== before!.startedAt ? state : null;
      },
      60_000,
      500,
    );
    expect(restarted.id).toBe(before!.id); // restarted, not recreated
    const event = await until(
      'the restart event',
      async () =>
        (await events(cluster.core)).find((e) => e.action === 'restart' && e.target === name),
      5_000,
    );
    expect(event.reason).toMatch(/failed its healthcheck \d+ times in a row \(limit 2\)/);
    expect(Number(event.detail.failures)).toBeGreaterThanOrEqual(2);
  }, 90_000);

  it('leaves a worker the user stopped alone, and does nothing once the cluster is down', async () => {
    await cluster.core.cluster.stopWorker(1);
    await sleep(3_000);
    expect((await engineState(n('worker-1')))?.running).toBe(false);
    // Healing another container (recreated) starts nothing the user stopped.
    const flaky = await engineState(n('flaky-1'));
    await docker.getContainer(n('flaky-1')).remove({ force: true });
    await until(
      'flaky-1 to be back',
      async () => {
        const state = await engineState(n('flaky-1'));
        return state?.running && state.id !== flaky!.id;
      },
      15_000,
    );
    await sleep(3_000);
    expect((await engineState(n('worker-1')))?.running).toBe(false);
    const count = (await events(cluster.core)).length;

    await cluster.core.cluster.down();
    await sleep(5_000);
    expect(await engineState(n('worker-1'))).toBeNull();
    expect(await engineState(n('flaky-1'))).toBeNull();
    // Nothing else was done: two recreations and the restart (the event log went with `down`,
    // the supervisor's own lines are still here).
    expect(
      lines.filter((l) => / action /.test(l) && /recreate|restart|backoff/.test(l)).length,
    ).toBe(3);
    expect(count).toBeGreaterThanOrEqual(4); // acquire, recreate, restart, recreate
  }, 60_000);
});
