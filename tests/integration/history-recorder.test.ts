/**
 * The history recorder against a real cluster: driven as a supervisor duty for a few ticks while
 * echo jobs run, it records the host, every container (by pool) and the echo queue's rate; after
 * a "restart" — a new core, new API services and a new recorder over the same app folder — the
 * API still returns what was recorded, and recording goes on after it.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiServices } from '../../main/api/context';
import { createCore, type Core } from '../../main/core';
import { historyBoundBytes, historyFolder } from '../../main/history';
import { CurrentQueues } from '../../main/queues/current-queues';
import type { DutyContext, SupervisorEventInput } from '../../main/supervisor/duty';
import { historyDuty } from '../../main/supervisor/history-duty';
import { messagePortClient } from './helpers/api-clients';
import { createTestCluster, workerContextDir, type TestCluster } from './helpers/test-cluster';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

let cluster: TestCluster;
beforeAll(async () => {
  cluster = await createTestCluster({ workers: 2 });
  await cluster.core.cluster.up();
}, 240_000);
afterAll(async () => {
  await cluster?.cleanup();
});

async function contextAt(
  core: Core,
  now: number,
  events: SupervisorEventInput[],
): Promise<DutyContext> {
  return {
    core,
    status: await core.cluster.status(),
    now,
    record: (event) => events.push(event),
    signal: new AbortController().signal,
  };
}

async function readRange(core: Core) {
  const services = new ApiServices({ core });
  const transport = messagePortClient(services);
  try {
    return await transport.client.metrics.range({ range: '15m' });
  } finally {
    transport.close();
    await services.close();
  }
}

describe('history recorder', () => {
  it('records a running cluster and its history outlives the process that recorded it', async () => {
    const queues = new CurrentQueues(cluster.core);
    const service = await queues.get();
    const duty = historyDuty();
    const events: SupervisorEventInput[] = [];
    // Frames 5 s apart on the tick's clock, ending a little before now (the API reads up to now).
    const start = Date.now() - 60_000;
    try {
      for (let i = 0; i < 5; i++) {
        for (let j = 0; j < 20; j++) await service.addJob({ queue: 'echo', data: { i, j } });
        await duty.tick(await contextAt(cluster.core, start + i * 5_000, events));
        await sleep(1_500);
      }
    } finally {
      await duty.stop?.();
      await queues.close();
    }
    expect(events).toEqual([]);

    // The "restart": nothing of the first core is reused.
    const core = createCore({
      home: cluster.home,
      version: 'test',
      workerContextDir,
      env: cluster.env,
    });
    const history = await readRange(core);
    expect(history.stepMs).toBe(5_000);
    expect(history.host.length).toBeGreaterThanOrEqual(4);
    expect(history.pools.map((p) => p.pool).sort()).toEqual(['redis', 'worker']);
    const worker = history.pools.find((p) => p.pool === 'worker')!;
    expect(worker.points.some((p) => (p.memoryBytes ?? 0) > 1_000_000)).toBe(true);
    // CPU between two reads of the same container: known from the second frame on.
    expect(worker.points.slice(1).every((p) => p.cpuPercent !== null)).toBe(true);
    const echo = history.queues.find((q) => q.queue === 'echo');
    expect(echo?.points.some((p) => p.completedPerSec > 0)).toBe(true);

    const one = await (async () => {
      const services = new ApiServices({ core });
      const transport = messagePortClient(services);
      try {
        return await transport.client.metrics.range({ range: '15m', container: 'worker-2' });
      } finally {
        transport.close();
        await services.close();
      }
    })();
    expect(one.containers.map((c) => [c.name, c.pool])).toEqual([['worker-2', 'worker']]);
    expect(one.containers[0]!.points.length).toBeGreaterThanOrEqual(4);

    // A new recorder over the same folder goes on where the last one stopped.
    const again = historyDuty();
    try {
      for (let i = 5; i < 8; i++) {
        await again.tick(await contextAt(core, start + i * 5_000, events));
        await sleep(1_500);
      }
    } finally {
      await again.stop?.();
    }
    const after = await readRange(core);
    expect(after.host.length).toBeGreaterThanOrEqual(history.host.length + 2);
    expect(after.host[0]!.at).toBe(history.host[0]!.at);

    const folder = historyFolder(cluster.home, cluster.name);
    let bytes = 0;
    for (const name of await fs.readdir(folder))
      bytes += (await fs.stat(path.join(folder, name))).size;
    expect(bytes).toBeLessThanOrEqual(historyBoundBytes(3, 4));
  }, 180_000);
});
