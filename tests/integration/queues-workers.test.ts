/**
 * Workers (BullMQ's client list joined with heartbeats), Redis health, connection failures and
 * the CLI adapters, against a real Redis with real BullMQ workers.
 */
import type { Worker } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addCommand, jobsCommand, queuesCommand } from '../../main/cli/commands/queues';
import { heartbeatIndexKey } from '../../main/shared/worker-contract';
import { QueuesService } from '../../main/queues/queues-service';
import { GuildhallError } from '../../main/util/errors';
import {
  fakeHeartbeat,
  freePort,
  startTestRedis,
  startWorker,
  uniqueName,
  waitFor,
  writeHeartbeat,
  type TestRedis,
} from './helpers/queues-fixture';

let redis: TestRedis;
let service: QueuesService;
const cluster = uniqueName('qtest-workers');
const w1 = `${cluster}-worker-1`;
const w2 = `${cluster}-worker-2`;
const w3 = `${cluster}-worker-3`;
const gone = `${cluster}-worker-9`;
const workers: Worker[] = [];

beforeAll(async () => {
  redis = await startTestRedis('workers');
  service = new QueuesService({ connection: redis.connection, cluster });
});

afterAll(async () => {
  try {
    // Forced: a graceful BullMQ Worker.close() right after Redis restarted (last test) can hang.
    await Promise.all(workers.map((w) => w.close(true)));
    await service?.close();
  } finally {
    await redis?.stop();
  }
});

describe('worker views', () => {
  let worker2: Worker;

  beforeAll(async () => {
    await service.addJob({ queue: 'qw-a', data: {} });
    await service.addJob({ queue: 'qw-b', data: {} });
    // worker-1 consumes both queues (one BullMQ Worker per queue, as the worker program does).
    workers.push(startWorker(redis, 'qw-a', async () => 'a', { name: w1 }));
    workers.push(startWorker(redis, 'qw-b', async () => 'b', { name: w1 }));
    worker2 = startWorker(redis, 'qw-a', async () => 'a', { name: w2 });
    await Promise.all([...workers, worker2].map((w) => w.waitUntilReady()));

    await writeHeartbeat(
      redis.client,
      cluster,
      fakeHeartbeat(w1, { state: 'busy', queues: ['qw-a', 'qw-b'], processed: 7 }),
    );
    // worker-3 is starting: it has a heartbeat but no BullMQ connection yet.
    await writeHeartbeat(
      redis.client,
      cluster,
      fakeHeartbeat(w3, { state: 'starting', queues: ['qw-a'] }),
    );
    // worker-9 stopped beating: its key expires.
    await writeHeartbeat(redis.client, cluster, fakeHeartbeat(gone, { state: 'idle' }), 200);
    await waitFor(
      async () => (await redis.client.exists(`guildhall:${cluster}:heartbeat:${gone}`)) === 0,
      5_000,
      'the short heartbeat to expire',
    );
    // BullMQ names the blocking connection once the worker starts fetching.
    await waitFor(
      async () => {
        const q = await service.getQueue('qw-a');
        return q.workers.filter((w) => w.connected).length === 2;
      },
      10_000,
      'both workers to show up on qw-a',
    );
  });

  it('joins BullMQ workers with heartbeats and drops expired heartbeats', async () => {
    const views = await service.listWorkers();
    expect(views.map((v) => v.name)).toEqual([w1, w2, w3]);
    const [v1, v2, v3] = views;
    expect(v1).toMatchObject({
      name: w1,
      queues: ['qw-a', 'qw-b'],
      state: 'busy',
      connected: true,
    });
    expect(v1!.heartbeat?.processed).toBe(7);
    expect(v2).toMatchObject({
      name: w2,
      queues: ['qw-a'],
      state: 'unknown',
      connected: true,
      heartbeat: null,
    });
    expect(v3).toMatchObject({ name: w3, queues: ['qw-a'], state: 'starting', connected: false });

    // The expired member was pruned from the index; live ones stay.
    const index = await redis.client.smembers(heartbeatIndexKey(cluster));
    expect(index.sort()).toEqual([w1, w3].sort());
  });

  it('each queue lists the workers attached to it', async () => {
    const a = await service.getQueue('qw-a');
    const b = await service.getQueue('qw-b');
    expect(a.workers.map((w) => w.name)).toEqual([w1, w2, w3]);
    expect(b.workers.map((w) => w.name)).toEqual([w1]);
  });

  it('a worker that disconnects is no longer shown as connected', async () => {
    await worker2.close();
    await waitFor(
      async () => !(await service.listWorkers()).some((w) => w.name === w2),
      10_000,
      'worker-2 to disappear',
    );
    const a = await service.getQueue('qw-a');
    expect(a.workers.map((w) => w.name)).toEqual([w1, w3]);
  });

  it('the overview carries queues, workers and Redis health from one pass', async () => {
    const overview = await service.overview();
    expect(overview.queues.map((q) => q.name)).toEqual(
      expect.arrayContaining(['echo', 'qw-a', 'qw-b']),
    );
    expect(overview.workers.map((w) => w.name)).toEqual([w1, w3]);
    expect(overview.redis.aof.enabled).toBe(true);
  });
});

describe('Redis health', () => {
  it('reports AOF on, memory, clients, ops and the eviction policy from INFO', async () => {
    const health = await service.redisHealth();
    expect(health.version).toMatch(/^\d+\.\d+/);
    expect(health.aof).toMatchObject({ enabled: true, lastWriteStatus: 'ok' });
    expect(health.maxMemoryPolicy).toBe('noeviction');
    expect(health.usedMemoryBytes).toBeGreaterThan(100_000);
    expect(health.connectedClients).toBeGreaterThanOrEqual(2);
    expect(health.uptimeSeconds).toBeGreaterThanOrEqual(0);
    expect(health.opsPerSec).toBeGreaterThanOrEqual(0);
  });
});

describe('when Redis cannot be used', () => {
  it('a wrong password is redis-unavailable, and no password appears in the error', async () => {
    const wrong = 'not-the-password-1234';
    const bad = new QueuesService({
      connection: { ...redis.connection, password: wrong },
      cluster,
    });
    try {
      const err = await bad.listQueues().then(
        () => null,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(GuildhallError);
      const g = err as GuildhallError;
      expect(g.code).toBe('redis-unavailable');
      expect(g.message).toContain('refused');
      const text = JSON.stringify(g.toJSON());
      expect(text).not.toContain(wrong);
      expect(text).not.toContain(redis.password);
    } finally {
      await bad.close();
    }
  });

  it('nothing listening is redis-unavailable quickly, naming the address and the cause', async () => {
    const port = await freePort();
    const down = new QueuesService({
      connection: { host: '127.0.0.1', port, password: redis.password },
      cluster,
    });
    try {
      const started = Date.now();
      const err = await down.overview().then(
        () => null,
        (e: unknown) => e,
      );
      expect(Date.now() - started).toBeLessThan(10_000);
      expect(err).toBeInstanceOf(GuildhallError);
      const g = err as GuildhallError;
      expect(g.code).toBe('redis-unavailable');
      expect(g.message).toContain(`127.0.0.1:${port}`);
      expect(g.message).toContain('ECONNREFUSED');
      expect(g.hint).toContain('guildhall up');
      expect(JSON.stringify(g.toJSON())).not.toContain(redis.password);
    } finally {
      await down.close();
    }
  });
});

describe('CLI adapters', () => {
  it('queues: a table without colours, or JSON', async () => {
    const text = await queuesCommand(service);
    expect(text.exitCode).toBe(0);
    const lines = text.output.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^QUEUE\s+STATE\s+WAITING\s+ACTIVE/);
    expect(lines.some((l) => /^qw-a\s+running\s/.test(l))).toBe(true);
    expect(text.output).not.toContain('\u001b[');

    const json = await queuesCommand(service, { json: true });
    expect(json.exitCode).toBe(0);
    const parsed = JSON.parse(json.output) as { name: string }[];
    expect(parsed.map((q) => q.name)).toContain('qw-b');
  });

  it('add: valid JSON adds a job; malformed JSON exits 2 with one line naming the position', async () => {
    const added = await addCommand(service, 'qw-cli', '{"n": 1}', { name: 'cli-job', attempts: 2 });
    expect(added.exitCode).toBe(0);
    expect(added.output).toMatch(/^Added job \d+ \(cli-job\) to queue qw-cli\./);
    const page = await service.listJobs({ queue: 'qw-cli' });
    expect(page.jobs.map((j) => [j.name, j.maxAttempts, j.dataPreview])).toEqual([
      ['cli-job', 2, '{"n":1}'],
    ]);

    const malformed = await addCommand(service, 'qw-cli', '{"n": 1,}');
    expect(malformed.exitCode).toBe(2);
    expect(malformed.output.trimEnd().split('\n')).toHaveLength(1);
    expect(malformed.output).toContain('position 8');
    expect(malformed.output).toContain('trailing comma');
    expect((await service.listJobs({ queue: 'qw-cli' })).total).toBe(1);

    const invalid = await addCommand(service, 'qw-cli', '{}', { attempts: 0 });
    expect(invalid.exitCode).toBe(2);
    expect(invalid.output).toContain('attempts must be at least 1');
  });

  it('jobs: lists a state, or the latest of any state, as a table or JSON; an unknown queue is a not-found exit', async () => {
    const text = await jobsCommand(service, 'qw-cli', { state: 'waiting' });
    expect(text.exitCode).toBe(0);
    expect(text.output).toMatch(/^ID\s+NAME\s+STATE\s+ATTEMPTS/);
    expect(text.output).toContain('cli-job');
    expect(text.output).toContain('of 1 waiting job(s) in queue qw-cli');

    const json = await jobsCommand(service, 'qw-cli', { json: true });
    expect(JSON.parse(json.output)).toMatchObject({ queue: 'qw-cli', state: 'any', total: 1 });
    expect(JSON.parse(json.output).jobs[0]).toMatchObject({ state: 'waiting', returnvalue: null });

    const missing = await jobsCommand(service, 'qw-missing', {});
    expect(missing.exitCode).toBe(6);
    expect(missing.output).toContain('There is no queue named "qw-missing"');
    expect(missing.output).toContain('Hint: Known queues:');
  });
});

describe('a long-lived service (the console keeps one open)', () => {
  it('recovers by itself after Redis restarts, and the data is still there (AOF)', async () => {
    const before = await service.getQueue('qw-cli');
    expect(before.counts.waiting).toBe(1);
    await redis.restart();
    // Commands in flight during the restart may fail with a clear error; then it comes back.
    await waitFor(
      async () => {
        try {
          await service.listQueues();
          return true;
        } catch (err) {
          expect((err as GuildhallError).code).toMatch(/^(redis-unavailable|timeout)$/);
          return false;
        }
      },
      20_000,
      'the service to reach Redis again',
      250,
    );
    expect((await service.getQueue('qw-cli')).counts.waiting).toBe(1);
    const added = await service.addJob({ queue: 'qw-cli', data: { after: 'restart' } });
    expect(added.created).toBe(true);
    expect((await service.getQueue('qw-cli')).counts.waiting).toBe(2);
  });
});
