/**
 * Fault injection: the Docker engine restarts under a running cluster and a running console.
 * What a user relies on: the console keeps running while the engine is gone (answering with a
 * clear engine error), answers `cluster.status` again within 5 s of the engine answering, the
 * cluster comes back by itself (restart policy), Redis keeps its data, and a following `up`
 * adopts everything — no duplicate containers.
 *
 * The machine's own dockerd is shared with other tests, so this runs a SECOND dockerd (see
 * helpers/second-engine.ts) and pins the core's engine to it in the settings; that daemon is
 * stopped with SIGTERM (as `systemctl restart docker` does) and started again with the same flags.
 */
import { ORPCError } from '@orpc/client';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiErrorData } from '../../main/shared/contract';
import type { ClusterStatus } from '../../main/cluster/status';
import { CLUSTER_VOLUMES, clusterFilter, volumeName } from '../../main/cluster/naming';
import { readHeartbeats } from '../../main/queues/worker-views';
import {
  recordFaultResult,
  seconds,
  startConsoleChild,
  today,
  type ConsoleChild,
} from './helpers/faults-kit';
import { waitFor } from './helpers/queues-fixture';
import { createSecondEngine, type SecondEngine } from './helpers/second-engine';
import { createTestCluster, type TestCluster } from './helpers/test-cluster';

const WORKERS = 2;
let engine: SecondEngine;
let tc: TestCluster;
let consoleChild: ConsoleChild | undefined;

beforeAll(async () => {
  engine = await createSecondEngine('ghfaults-engine');
  await engine.start();
  await engine.loadImages([
    process.env.GUILDHALL_REDIS_IMAGE ?? 'guildhall-offline/redis:bookworm',
    process.env.GUILDHALL_WORKER_BASE_IMAGE ?? 'guildhall-offline/node:bookworm',
  ]);
  tc = await createTestCluster({ workers: WORKERS });
  await tc.core.settings.update((s) => ({ ...s, engine: { pinned: engine.host } }));
  await tc.core.cluster.up();
});

afterAll(async () => {
  await consoleChild?.stop();
  if (engine && (await engine.answers())) await tc?.cleanup();
  await engine?.destroy();
});

interface Poll {
  /** When the call was sent and when its answer (or error) arrived. */
  at: number;
  end: number;
  ok: boolean;
  state?: string;
  code?: string;
  message?: string;
}

async function clusterObjects() {
  const [containers, networks, volumes] = await Promise.all([
    engine.docker.listContainers({ all: true, filters: clusterFilter(tc.name) }),
    engine.docker.listNetworks({ filters: { label: [`io.guildhall.cluster=${tc.name}`] } }),
    engine.docker.listVolumes({ filters: { label: [`io.guildhall.cluster=${tc.name}`] } }),
  ]);
  return {
    containers: containers.map((c) => ({
      id: c.Id,
      name: c.Names[0]!.replace(/^\//, ''),
      state: c.State,
    })),
    networks: networks.length,
    volumes: (volumes.Volumes ?? []).map((v) => v.Name).sort(),
  };
}

describe('the engine restarts under a running cluster', () => {
  it('the console reconnects within 5 s, the cluster comes back, no duplicates after up', async () => {
    // Everything below talks to the second engine only.
    const main = await clusterObjects();
    expect(main.containers.map((c) => c.name).sort()).toEqual(
      [
        `${tc.name}-redis-1`,
        ...Array.from({ length: WORKERS }, (_, i) => `${tc.name}-worker-${i + 1}`),
      ].sort(),
    );
    const url = new URL(await tc.core.cluster.connectionUrl());
    const connection = {
      host: url.hostname,
      port: Number(url.port),
      password: decodeURIComponent(url.password),
    };
    const redis = new Redis({ ...connection, maxRetriesPerRequest: 1, lazyConnect: true });
    redis.on('error', () => {});
    await redis.connect();
    await redis.set('ghfaults:engine-restart', 'kept');
    redis.disconnect();

    consoleChild = await startConsoleChild(tc.env);
    const api = consoleChild.http;
    expect((await api.cluster.status()).state).toBe('running');

    // Ask the console for the cluster's status every 100 ms throughout.
    const polls: Poll[] = [];
    let polling = true;
    const poller = (async () => {
      while (polling) {
        const at = Date.now();
        try {
          const status = (await api.cluster.status(undefined, {
            signal: AbortSignal.timeout(10_000),
          })) as ClusterStatus;
          polls.push({ at, end: Date.now(), ok: true, state: status.state });
        } catch (err) {
          const data =
            err instanceof ORPCError ? (err.data as ApiErrorData | undefined) : undefined;
          polls.push({
            at,
            end: Date.now(),
            ok: false,
            code: data?.code ?? 'transport',
            message: data?.message ?? String(err),
          });
        }
        await new Promise((resolve) => setTimeout(resolve, Math.max(0, 100 - (Date.now() - at))));
      }
    })();

    let answeringAt = 0;
    let stoppedAt = 0;
    let termAt = 0;
    try {
      await new Promise((resolve) => setTimeout(resolve, 500));
      termAt = Date.now();
      await engine.stop();
      stoppedAt = Date.now();
      await new Promise((resolve) => setTimeout(resolve, 2_000));
      answeringAt = await engine.start();
      await waitFor(
        () => polls.some((p) => p.ok && p.end >= answeringAt),
        30_000,
        'the console to answer cluster.status again',
        50,
      );
      await waitFor(
        () => polls.some((p) => p.ok && p.end >= answeringAt && p.state === 'running'),
        60_000,
        'the cluster to run again',
        100,
      );
    } finally {
      polling = false;
      await poller;
    }

    // Calls sent and answered while the daemon was gone (a call sent just before it answered
    // again may wait on the socket and then succeed: that one counts as answered after).
    const whileDown = polls.filter((p) => p.at > stoppedAt && p.end < answeringAt);
    // While dockerd shuts down (stopping containers) it still answers, with errors of its own.
    const failedFromTerm = polls.filter((p) => !p.ok && p.at >= termAt && p.end < answeringAt);
    const shutdownCodes = [
      ...new Set(failedFromTerm.filter((p) => p.end <= stoppedAt).map((p) => p.code)),
    ];
    const firstOk = polls.find((p) => p.ok && p.end >= answeringAt)!;
    const firstRunning = polls.find((p) => p.ok && p.end >= answeringAt && p.state === 'running')!;
    const reconnectMs = firstOk.end - answeringAt;
    const runningMs = firstRunning.end - answeringAt;

    const afterRestart = await clusterObjects();
    // The workers are back in business: each sent a heartbeat from a process started after.
    const beats = new Redis({ ...connection, maxRetriesPerRequest: 1, lazyConnect: true });
    beats.on('error', () => {});
    const registeredMs = await (async () => {
      try {
        await waitFor(
          async () => {
            if (beats.status !== 'ready') await beats.connect().catch(() => {});
            const live = await readHeartbeats(beats, tc.name).catch(() => new Map());
            const fresh = [...live.values()].filter((b) => b.startedAt > stoppedAt);
            return fresh.length === WORKERS;
          },
          60_000,
          'every worker to register again',
          100,
        );
        return Date.now() - answeringAt;
      } finally {
        beats.disconnect();
      }
    })();
    const upStatus = await tc.core.cluster.up();
    const afterUp = await clusterObjects();
    const check = new Redis({ ...connection, maxRetriesPerRequest: 2, lazyConnect: true });
    check.on('error', () => {});
    await check.connect();
    const kept = await check.get('ghfaults:engine-restart');
    check.disconnect();
    const consoleAlive = consoleChild.child.exitCode === null;
    const downCodes = [...new Set(whileDown.map((p) => p.code ?? p.state))];
    const slowest = Math.max(...whileDown.map((p) => p.end - p.at));
    const sample = whileDown.find((p) => !p.ok)?.message ?? '';

    await recordFaultResult(
      'engine-restart',
      `### Docker engine restart under a running cluster (${today()})

A second dockerd (own socket, data and exec roots, its own default bridge, \`--iptables=false\`, its own address pool with one FORWARD accept rule) ran the cluster (Redis + ${WORKERS} workers); the core's engine was pinned to it. \`guildhall console\` (the built CLI) was asked \`cluster.status\` over HTTP every 100 ms while that dockerd got SIGTERM and was started again 2 s later with the same flags.

| measure | value |
| --- | --- |
| answers while the engine was down | ${whileDown.length} calls, all errors: ${whileDown.every((p) => !p.ok)}; codes: ${downCodes.join(', ')}; slowest answer ${seconds(slowest)}; e.g. “${sample.split('\n')[0]}” |
| errors while dockerd was shutting down (SIGTERM → exit, ${seconds(stoppedAt - termAt)}) | codes: ${shutdownCodes.join(', ') || 'none'} |
| first successful \`cluster.status\` answer after the daemon answered \`_ping\` | **${seconds(reconnectMs)}** (goal ≤ 5 s) |
| cluster \`running\` again (restart policy) after the daemon answered | ${seconds(runningMs)} |
| every worker registered again (new heartbeat) after the daemon answered | ${seconds(registeredMs)} |
| containers before / after the restart / after \`up\` | ${main.containers.length} / ${afterRestart.containers.length} / ${afterUp.containers.length}; same ids after \`up\`: ${JSON.stringify(afterUp.containers.map((c) => c.id).sort()) === JSON.stringify(main.containers.map((c) => c.id).sort())} |
| networks / volumes after \`up\` | ${afterUp.networks} / ${afterUp.volumes.length} |
| Redis key written before the restart, read after | ${kept === 'kept' ? 'kept' : `lost (${kept})`} |
| console process alive throughout | ${consoleAlive} |
`,
    );

    expect(whileDown.length).toBeGreaterThan(5);
    expect(whileDown.every((p) => !p.ok)).toBe(true);
    for (const p of whileDown) {
      expect(p.code).toMatch(/^engine-/);
      expect(p.message?.length ?? 0).toBeGreaterThan(10);
    }
    // Every failure from SIGTERM on is a classified engine error, never an internal one.
    expect(failedFromTerm.filter((p) => !/^engine-/.test(p.code ?? ''))).toEqual([]);
    expect(reconnectMs).toBeLessThanOrEqual(5_000);
    expect(consoleAlive).toBe(true);
    expect(afterRestart.containers.every((c) => c.state === 'running')).toBe(true);
    expect(upStatus.state).toBe('running');
    expect(afterUp.containers.map((c) => c.id).sort()).toEqual(
      main.containers.map((c) => c.id).sort(),
    );
    expect(afterUp.containers.every((c) => c.state === 'running')).toBe(true);
    expect(afterUp.networks).toBe(1);
    expect(afterUp.volumes).toEqual(CLUSTER_VOLUMES.map((v) => volumeName(tc.name, v)));
    expect(kept).toBe('kept');
    expect(consoleChild.output()).not.toMatch(/unexpected error/i);
  });
});
