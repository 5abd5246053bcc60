/**
 * A container that crashes on start (issue 15): the engine's restart policy restarts it at once,
 * then the supervisor sees the crash loop (CRASH_LOOP: 3 crashes) and backs it off: it stops it,
 * turns the engine's restarts off for it and tries again after 10 s, then 20 s… So it is started
 * only a handful of times in its first 45 s (the engine alone, doubling from 100 ms, starts it
 * about nine times), it stays stopped between tries, each step is an event with its reason, and
 * the process's crash-loop alert is raised from the statuses the supervisor reads.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AlertMonitor } from '../../main/monitor/alerts';
import { AlertFeed } from '../../main/api/alert-feed';
import { createApiEventHub } from '../../main/api/api-events';
import type { ClusterSpec } from '../../main/settings/cluster-spec';
import type { Supervisor } from '../../main/supervisor/supervisor';
import {
  countStarts,
  engineState,
  events,
  sleep,
  startSupervisor,
  until,
} from './helpers/supervisor-kit';
import { createTestCluster, type TestCluster } from './helpers/test-cluster';

const REDIS_IMAGE = process.env.GUILDHALL_REDIS_IMAGE ?? 'guildhall-offline/redis:bookworm';
const WINDOW_MS = 45_000;

let cluster: TestCluster;
let supervisor: Supervisor | null = null;
const alerts = new AlertMonitor();
const feed = new AlertFeed(createApiEventHub(), alerts);

beforeAll(async () => {
  cluster = await createTestCluster({ workers: 1 });
  await cluster.core.settings.update((s) => ({
    ...s,
    cluster: {
      ...s.cluster,
      pools: {
        crash: {
          image: REDIS_IMAGE,
          command: ['sh', '-c', 'echo "cannot start" >&2; exit 1'],
          memoryMb: 64,
          cpus: 0.25,
          stopTimeoutSeconds: 1,
        },
      } as unknown as ClusterSpec['pools'],
    },
  }));
  supervisor = startSupervisor(cluster.core, { onStatus: (status) => feed.observe(status) });
}, 60_000);

afterAll(async () => {
  await supervisor?.stop();
  feed.stop();
  await cluster?.cleanup();
});

describe('a crash-looping container', () => {
  it('is backed off: a handful of starts, stopped between tries, events and the alert', async () => {
    const name = `${cluster.name}-crash-1`;
    const since = Date.now();
    const counter = await countStarts(name);
    await cluster.core.cluster.up({ waitForWorkers: false });
    await until('the supervisor to hold the lease', async () => supervisor!.holding, 20_000);

    const first = await until(
      'the first backoff',
      async () => (await events(cluster.core)).find((e) => e.action === 'backoff'),
      20_000,
      200,
    );
    // From here on the supervisor holds it: only its own tries start the container.
    const startsBeforeBackoff = counter.now();
    expect(first).toMatchObject({ kind: 'action', pool: 'crash', target: name });
    expect(first.reason).toMatch(/crash-1 crashed \d+ times within 10 minutes, last exit code 1/);
    expect(first.reason).toMatch(/next try in 10 s/);
    expect(first.detail.delaySeconds).toBe(10);
    // The crash-loop alert of the process (CRASH_LOOP, the one rule), from the supervisor's reads.
    expect(alerts.active().map((a) => a.id)).toContain(`worker-crash-loop:${name}`);

    // Held: the engine no longer restarts it between the supervisor's tries.
    await sleep(3_000);
    expect((await engineState(name))?.status).toBe('exited');

    // The try after 10 s crashes too: the next wait doubles.
    const second = await until(
      'the second backoff',
      async () => (await events(cluster.core)).filter((e) => e.action === 'backoff')[1],
      30_000,
      500,
    );
    expect(second.reason).toMatch(/crashed again on try 2.*next try in 20 s/);
    const retries = (await events(cluster.core)).filter((e) => e.action === 'retry');
    expect(retries[0]?.reason).toMatch(/try 2 after 10 s of backoff/);

    const elapsed = Date.now() - since;
    if (elapsed < WINDOW_MS) await sleep(WINDOW_MS - elapsed);
    const starts = counter.stop();
    console.info(`crash-1 started ${starts} times in ${WINDOW_MS / 1000} s`);
    expect(starts).toBeGreaterThanOrEqual(3);
    // Before the backoff the engine's restart policy restarts it (how many times depends on how
    // busy the host is); after it, only the supervisor's tries (10 s, then 20 s later) do.
    expect(starts - startsBeforeBackoff).toBeLessThanOrEqual(3);
    expect(starts).toBeLessThanOrEqual(12);
  }, 120_000);
});
