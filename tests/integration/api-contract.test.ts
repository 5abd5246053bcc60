/**
 * The same typed API over both real transports — the paired MessageChannel the Electron IPC
 * uses and a WebSocket to the console server — against a real cluster (real engine, Redis,
 * BullMQ workers): status, up and scale, a job added and completed, settings read and written,
 * event streams delivering progress, logs, and typed errors.
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiEvent } from '../../main/shared/contract';
import { ApiServices } from '../../main/api/context';
import { monitorMetricsSource } from '../../main/api/monitor-source';
import { startConsoleServer, type ConsoleServer } from '../../main/web/console-server';
import {
  apiErrorOf,
  messagePortClient,
  webSocketClient,
  type TransportClient,
} from './helpers/api-clients';
import { createTestCluster, repoRoot, type TestCluster } from './helpers/test-cluster';

let cluster: TestCluster;
let services: ApiServices;
let server: ConsoleServer;
let ipc: TransportClient;
let ws: TransportClient;
const transports = () => [ipc, ws];

/** Reads events until `done` says so (or fails after the time limit). */
async function readUntil(
  stream: AsyncIterator<ApiEvent>,
  done: (event: ApiEvent, seen: ApiEvent[]) => boolean,
  timeoutMs = 150_000,
): Promise<ApiEvent[]> {
  const seen: ApiEvent[] = [];
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const left = deadline - Date.now();
    const result = await Promise.race([
      stream.next(),
      new Promise<never>((_, reject) =>
        setTimeout(() => reject(new Error(`no matching event within ${timeoutMs} ms`)), left),
      ),
    ]);
    if (result.done) throw new Error('the event stream ended early');
    seen.push(result.value);
    if (done(result.value, seen)) return seen;
  }
}

async function waitFor<T>(
  read: () => Promise<T>,
  ok: (value: T) => boolean,
  what: string,
): Promise<T> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const value = await read();
    if (ok(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

beforeAll(async () => {
  cluster = await createTestCluster({ workers: 1 });
  services = new ApiServices({
    core: cluster.core,
    clusterPollMs: 500,
    metrics: monitorMetricsSource(cluster.core, { intervalMs: 500 }),
  });
  server = await startConsoleServer({
    services,
    rendererDir: path.join(repoRoot, 'out', 'renderer'),
    port: 0,
  });
  ipc = messagePortClient(services);
  ws = await webSocketClient(server.origin, server.token);
});

afterAll(async () => {
  ipc?.close();
  ws?.close();
  await server?.close();
  await services?.close();
  await cluster?.cleanup();
});

describe('API contract over IPC and WebSocket against a real cluster', () => {
  it('brings the cluster up over IPC while the WebSocket event stream delivers its progress', async () => {
    const events = await ws.client.events.subscribe({ topics: ['progress', 'cluster-state'] });
    const status = await ipc.client.cluster.up({ operationId: 'contract-up' });
    expect(status).toMatchObject({ cluster: cluster.name, state: 'running', desiredWorkers: 1 });
    expect(status.redis?.port).toBe(cluster.port);
    expect(status.workers).toHaveLength(1);

    const seen = await readUntil(
      events,
      (event) => event.topic === 'cluster-state' && event.data.state === 'running',
    );
    await events.return?.(undefined);
    const progress = seen.flatMap((event) =>
      event.topic === 'progress' && event.data.operationId === 'contract-up' ? [event.data] : [],
    );
    expect(progress.every((p) => p.operation === 'cluster.up')).toBe(true);
    expect(progress).toContainEqual(expect.objectContaining({ step: 'engine', status: 'done' }));
    expect(progress.some((p) => p.step === 'redis')).toBe(true);
    expect(progress.some((p) => p.step === 'worker')).toBe(true);
  });

  it.each(['ipc', 'websocket'] as const)('reports cluster.status over %s', async (name) => {
    const { client } = transports().find((t) => t.name === name)!;
    const status = await client.cluster.status();
    expect(status).toMatchObject({ cluster: cluster.name, network: true, volume: true });
    expect(status.redis).toMatchObject({ state: 'running', port: cluster.port });
    expect(status.workers.map((w) => w.number)).toEqual([1]);
  });

  it('scales to 2 workers over IPC and back to 1 over WebSocket', async () => {
    const up = await ipc.client.cluster.scale({ replicas: 2 });
    expect(up.desiredWorkers).toBe(2);
    expect(up.workers.map((w) => [w.number, w.state])).toEqual([
      [1, 'running'],
      [2, 'running'],
    ]);
    const down = await ws.client.cluster.scale({ replicas: 1 });
    expect(down.desiredWorkers).toBe(1);
    expect(down.workers.map((w) => w.number)).toEqual([1]);
    expect((await cluster.core.cluster.spec()).spec.workers.replicas).toBe(1);
  });

  it.each(['ipc', 'websocket'] as const)(
    'adds a job over %s and sees a worker complete it',
    async (name) => {
      const { client } = transports().find((t) => t.name === name)!;
      const data = { via: name, n: 7, nested: { ok: true } };
      const added = await client.queues.add({ queue: 'echo', name: `contract-${name}`, data });
      expect(added).toMatchObject({ queue: 'echo', name: `contract-${name}`, created: true });

      const job = await waitFor(
        () => client.queues.job({ queue: 'echo', id: added.id }),
        // finishedOn too: the queues core reads the job hash before its state, so a job that
        // finishes in between shows "completed" without its result for one read.
        (j) => j.state === 'failed' || (j.state === 'completed' && j.finishedOn !== null),
        `job ${added.id} to finish`,
      );
      expect(job.state).toBe('completed');
      expect(job.returnvalue).toEqual(data);
      expect(job.data).toEqual(data);

      const page = await client.queues.jobs({ queue: 'echo', state: 'completed', count: 100 });
      expect(page.jobs.map((j) => j.id)).toContain(added.id);
      const found = await client.queues.findById({ id: added.id });
      expect(found.jobs.map((j) => j.queue)).toEqual(['echo']);
    },
  );

  it("tells 'jobs' subscribers which queue had job activity: a job added over IPC to a new queue shows on the WebSocket stream", async () => {
    const queue = `contract-activity-${Date.now().toString(36)}`;
    const events = await ws.client.events.subscribe({ topics: ['jobs'] });
    const seen: { at: number; event: ApiEvent }[] = [];
    const reading = (async () => {
      for (;;) {
        const result = await events.next();
        if (result.done) return;
        seen.push({ at: Date.now(), event: result.value });
      }
    })();
    const names = ({ event }: { event: ApiEvent }) =>
      event.topic === 'jobs' && event.data.queues.includes(queue);
    // The follower starts with the subscription and takes its positions meanwhile.
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    const addedAt = Date.now();
    await ipc.client.queues.add({ queue, name: 'contract-activity', data: {} });
    await waitFor(
      async () => seen.filter(names),
      (matches) => matches.length > 0,
      'a jobs event naming the new queue',
    );
    await events.return?.(undefined);
    await reading.catch(() => undefined);
    // Nothing named the queue before it existed.
    expect(seen.filter(names).every(({ at }) => at >= addedAt)).toBe(true);
  });

  it.each([
    ['ipc', 'websocket', 'dark'],
    ['websocket', 'ipc', 'light'],
  ] as const)(
    'updates settings over %s and reads them back over %s',
    async (writer, reader, theme) => {
      const write = transports().find((t) => t.name === writer)!.client;
      const read = transports().find((t) => t.name === reader)!.client;
      const saved = await write.settings.update({ app: { theme } });
      expect(saved.app.theme).toBe(theme);
      const { settings, imageOverrides } = await read.settings.get();
      expect(settings.app.theme).toBe(theme);
      // The test environment sets the offline images: the API says so, with the image in force.
      expect(imageOverrides).toEqual({
        redis: { variable: 'GUILDHALL_REDIS_IMAGE', image: process.env.GUILDHALL_REDIS_IMAGE },
        workerBase: {
          variable: 'GUILDHALL_WORKER_BASE_IMAGE',
          image: process.env.GUILDHALL_WORKER_BASE_IMAGE,
        },
      });
      expect(settings.cluster.name).toBe(cluster.name);
      expect(settings.cluster.redis.port).toBe(cluster.port);
    },
  );

  it('streams image progress over IPC, and the same progress reaches the WebSocket event stream', async () => {
    const events = await ws.client.events.subscribe({ topics: ['progress'] });
    const stream = await ipc.client.images.ensure({ operationId: 'contract-images' });
    const steps = [];
    let result: IteratorResult<unknown, { redisImage: string; workerImage: string }>;
    while (!(result = await stream.next()).done) steps.push(result.value);
    expect(result.value.redisImage).toBe(process.env.GUILDHALL_REDIS_IMAGE);
    expect(result.value.workerImage).toMatch(/^guildhall\/worker:[0-9a-f]{12}$/);
    expect(steps).toContainEqual(expect.objectContaining({ step: 'image', status: 'skipped' }));

    const relayed = await readUntil(
      events,
      (_e, seen) =>
        seen.filter((e) => e.topic === 'progress' && e.data.operationId === 'contract-images')
          .length >= steps.length,
    );
    await events.return?.(undefined);
    const mine = relayed.filter(
      (e) => e.topic === 'progress' && e.data.operationId === 'contract-images',
    );
    expect(mine.map((e) => e.topic === 'progress' && e.data.target)).toEqual(
      steps.map((s) => (s as { target: string }).target),
    );
  });

  it('tails and streams container logs over WebSocket without the Redis password', async () => {
    const password = await cluster.core.cluster.password(cluster.name);
    const tail = await ws.client.logs.tail({ target: 'redis', lines: 50 });
    expect(tail.lines.length).toBeGreaterThan(0);
    expect(tail.lines.some((l) => /Ready to accept connections/.test(l.line))).toBe(true);
    expect(JSON.stringify(tail)).not.toContain(password);

    const live = await ws.client.logs.stream({ target: 'redis', tail: 5 });
    const first = await live.next();
    expect(first.done).toBe(false);
    expect(first.value).toMatchObject({
      target: 'redis',
      stream: expect.stringMatching(/^std(out|err)$/),
    });
    await live.return?.(undefined);
  });

  it('streams metrics ticks from the monitor while subscribed', async () => {
    const events = await ipc.client.events.subscribe({ topics: ['metrics'] });
    const [tick] = await readUntil(events, () => true, 20_000);
    await events.return?.(undefined);
    expect(tick?.topic).toBe('metrics');
    const containers = (tick?.data as { containers: { containers: { name: string }[] } }).containers
      .containers;
    expect(containers.map((c) => c.name)).toContain(`${cluster.name}-redis-1`);
    await expect.poll(() => services.hub.subscriberCount('metrics')).toBe(0);
  });

  it('keeps the monitor’s history after the last metrics subscriber left (metrics.history)', async () => {
    const events = await ws.client.events.subscribe({ topics: ['metrics'] });
    const ticks = await readUntil(events, (_event, seen) => seen.length >= 4, 30_000);
    await events.return?.(undefined);
    await expect.poll(() => services.hub.subscriberCount('metrics')).toBe(0);
    const lastTickAt = Math.max(...ticks.map((tick) => (tick.data as { at: number }).at));

    for (const { client } of transports()) {
      const history = await client.metrics.history();
      // Points from the whole watch (and the earlier one), oldest first, none newer than the
      // last tick sent plus one interval: sampling paused when the subscriber left.
      expect(history.host.length).toBeGreaterThanOrEqual(3);
      const times = history.host.map((p) => p.at);
      expect(times).toEqual([...times].sort((a, b) => a - b));
      expect(times.at(-1)!).toBeLessThanOrEqual(lastTickAt + 1_000);
      expect(history.host.every((p) => p.memoryUsedBytes > 0)).toBe(true);
      const redis = history.containers.find((c) => c.name === `${cluster.name}-redis-1`);
      expect(redis?.points.length).toBeGreaterThan(0);
      const since = await client.metrics.history({ since: times.at(-2)! });
      expect(since.host.map((p) => p.at)).toEqual([times.at(-1)]);
    }
  });

  it.each(['ipc', 'websocket'] as const)(
    'sends core errors over %s as typed data with a hint',
    async (name) => {
      const { client } = transports().find((t) => t.name === name)!;
      const missing = await apiErrorOf(client.queues.counts({ queue: 'no-such-queue' }));
      expect(missing).toMatchObject({ orpcCode: 'NOT_FOUND', code: 'not-found' });
      expect(missing.message).toContain('no-such-queue');
      expect(missing.hint).toContain('echo');

      const noWorker = await apiErrorOf(client.cluster.restartWorker({ number: 9 }));
      expect(noWorker).toMatchObject({ code: 'not-found', hint: 'Its workers are: 1.' });
    },
  );

  it('restarts and then stops worker 1 over WebSocket', async () => {
    const before = (await ws.client.cluster.status()).workers[0]!;
    const restarted = await ws.client.cluster.restartWorker({ number: 1 });
    const after = restarted.workers[0]!;
    expect(after.state).toBe('running');
    expect(after.startedAt).not.toBe(before.startedAt);

    const stopped = await ws.client.cluster.stopWorker({ number: 1 });
    expect(stopped.workers[0]!.state).toBe('exited');
    expect(stopped.state).toBe('degraded');
  });
});
