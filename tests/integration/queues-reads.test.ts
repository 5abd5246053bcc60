/**
 * The queues core reading a real Redis with real BullMQ: discovery, counts, paging, lookup,
 * search by name, job detail and per-minute metrics.
 */
import { Queue, type Worker } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUILTIN_QUEUES } from '../../main/shared/worker-contract';
import { QueuesService } from '../../main/queues/queues-service';
import { queueRegistryKey } from '../../main/queues/queue-discovery';
import { GuildhallError } from '../../main/util/errors';
import {
  startTestRedis,
  startWorker,
  uniqueName,
  waitFor,
  type TestRedis,
} from './helpers/queues-fixture';

let redis: TestRedis;
let service: QueuesService;
const workers: Worker[] = [];
const cluster = uniqueName('qtest-reads');

async function expectGuildhallError(
  promise: Promise<unknown>,
  code: string,
): Promise<GuildhallError> {
  const err = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(GuildhallError);
  expect((err as GuildhallError).code).toBe(code);
  return err as GuildhallError;
}

beforeAll(async () => {
  redis = await startTestRedis('reads');
  service = new QueuesService({ connection: redis.connection, cluster });
});

afterAll(async () => {
  try {
    await Promise.all(workers.map((w) => w.close()));
    await service?.close();
  } finally {
    await redis?.stop();
  }
});

describe('queue discovery', () => {
  it('knows built-ins and added queues at once, and finds queues made by other tools on refresh only', async () => {
    const external = new Queue('qr-external', { connection: redis.connection });
    await external.add('x', { from: 'another tool' });

    // The first listing runs the one discovery pass, so the external queue is found.
    const first = await service.knownQueues();
    expect(first).toEqual(expect.arrayContaining([...BUILTIN_QUEUES, 'qr-external']));
    // …and recorded in the registry for other processes.
    expect(await redis.client.sismember(queueRegistryKey(cluster), 'qr-external')).toBe(1);

    // A queue another tool creates later is not picked up by listing (no SCAN per tick)…
    const later = new Queue('qr-external-later', { connection: redis.connection });
    await later.add('x', {});
    expect(await service.knownQueues()).not.toContain('qr-external-later');
    // …but an explicit refresh finds it.
    expect(await service.refreshQueues()).toContain('qr-external-later');

    // A queue created through the service is known immediately, without a refresh.
    await service.addJob({ queue: 'qr-added', data: { n: 1 } });
    expect(await service.knownQueues()).toContain('qr-added');

    // A queue with a meta key is usable by name even before any refresh sees it.
    const direct = new Queue('qr-external-direct', { connection: redis.connection });
    await direct.add('x', {});
    const summary = await service.getQueue('qr-external-direct');
    expect(summary.counts.waiting).toBe(1);

    await Promise.all([external.close(), later.close(), direct.close()]);
  });

  it('rejects an unknown queue with not-found and lists the known ones in the hint', async () => {
    const err = await expectGuildhallError(
      service.listJobs({ queue: 'qr-does-not-exist' }),
      'not-found',
    );
    expect(err.message).toContain('qr-does-not-exist');
    expect(err.hint).toContain('echo');
    expect(err.hint).toContain('qr-added');
    // Looking at an unknown queue must not create it.
    expect(await redis.client.exists('bull:qr-does-not-exist:meta')).toBe(0);
    expect(await service.knownQueues()).not.toContain('qr-does-not-exist');
  });
});

describe('counts, detail and metrics after real processing', () => {
  const queue = 'qr-counts';

  beforeAll(async () => {
    for (let i = 0; i < 6; i++) {
      await service.addJob({
        queue,
        name: i % 3 === 2 ? 'bad' : 'good',
        data: { i, fail: i % 3 === 2 },
      });
    }
    workers.push(
      startWorker(
        redis,
        queue,
        async (job) => {
          await job.log(`processing ${job.id}`);
          await job.log('second line');
          await job.updateProgress(100);
          if (job.data.fail) throw new Error(`job ${job.data.i} failed on purpose`);
          return { doubled: job.data.i * 2 };
        },
        { name: `${cluster}-worker-1` },
      ),
    );
    await waitFor(
      async () => {
        const q = await service.getQueue(queue);
        return q.counts.completed + q.counts.failed === 6;
      },
      20_000,
      'all six jobs to finish',
    );
  });

  it('counts agree with what the worker did', async () => {
    const summary = await service.getQueue(queue);
    expect(summary.counts).toEqual({
      waiting: 0,
      active: 0,
      completed: 4,
      failed: 2,
      delayed: 0,
      paused: 0,
      prioritized: 0,
      'waiting-children': 0,
    });
    expect(summary.isPaused).toBe(false);
    expect(summary.builtin).toBe(false);
    expect(summary.workers.map((w) => w.name)).toEqual([`${cluster}-worker-1`]);

    const listed = (await service.listQueues()).find((q) => q.name === queue);
    expect(listed?.counts.completed).toBe(4);
    expect(listed?.counts.failed).toBe(2);
  });

  it('detail of a completed job has its data, return value, progress, logs and timestamps', async () => {
    const page = await service.listJobs({ queue, state: 'completed', order: 'asc', count: 10 });
    const first = page.jobs[0];
    expect(first).toBeDefined();
    const detail = await service.getJob(queue, first!.id);
    expect(detail.state).toBe('completed');
    expect(detail.data).toEqual({ i: 0, fail: false });
    expect(detail.returnvalue).toEqual({ doubled: 0 });
    expect(detail.progress).toBe(100);
    expect(detail.logs).toEqual([`processing ${first!.id}`, 'second line']);
    expect(detail.logCount).toBe(2);
    expect(detail.attemptsMade).toBe(1);
    expect(detail.processedOn).toBeGreaterThanOrEqual(detail.timestamp);
    expect(detail.finishedOn).toBeGreaterThanOrEqual(detail.processedOn ?? Infinity);
    expect(detail.failedReason).toBeNull();
  });

  it('detail of a failed job has the failure reason and stack trace', async () => {
    const page = await service.listJobs({ queue, state: 'failed' });
    expect(page.total).toBe(2);
    const summary = page.jobs[0]!;
    expect(summary.failedReason).toMatch(/failed on purpose/);
    const detail = await service.getJob(queue, summary.id);
    expect(detail.state).toBe('failed');
    expect(detail.failedReason).toMatch(/^job \d failed on purpose$/);
    expect(detail.stacktrace.length).toBeGreaterThan(0);
    expect(detail.stacktrace[0]).toContain('failed on purpose');
    expect(detail.returnvalue).toBeNull();
  });

  it('an unknown job id is not-found', async () => {
    const err = await expectGuildhallError(service.getJob(queue, '99999'), 'not-found');
    expect(err.message).toContain('99999');
  });

  it('metrics count completed and failed jobs per minute', async () => {
    const metrics = await service.getMetrics({ queue, minutes: 5 });
    const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
    expect(metrics.collected).toBe(true);
    expect(metrics.completed.perMinute).toHaveLength(5);
    // All six finished within the last two minutes (the run may straddle a minute boundary).
    expect(metrics.completed.perMinute[0]! + metrics.completed.perMinute[1]!).toBe(4);
    expect(sum(metrics.completed.perMinute)).toBe(4);
    expect(sum(metrics.failed.perMinute)).toBe(2);
    expect(metrics.completed.total).toBe(4);
    expect(metrics.failed.total).toBe(2);

    const summary = await service.getQueue(queue);
    expect(summary.throughput.completedThisMinute + summary.throughput.completedLastMinute).toBe(4);
    expect(summary.throughput.failedThisMinute + summary.throughput.failedLastMinute).toBe(2);
  });
});

describe('paging and search on a queue without workers', () => {
  const queue = 'qr-page';
  const ids: string[] = [];

  beforeAll(async () => {
    for (let i = 0; i < 7; i++) {
      const result = await service.addJob({
        queue,
        name: i % 2 ? 'beta' : 'alpha',
        data: { i, blob: 'x'.repeat(5_000) },
      });
      ids.push(result.id);
    }
  });

  it('pages of waiting jobs are stable, ordered and cover every job exactly once', async () => {
    const asc: string[] = [];
    for (let start = 0; start < 7; start += 3) {
      const page = await service.listJobs({
        queue,
        state: 'waiting',
        start,
        count: 3,
        order: 'asc',
      });
      expect(page.total).toBe(7);
      asc.push(...page.jobs.map((j) => j.id));
    }
    expect(asc).toEqual(ids);

    const again = await service.listJobs({
      queue,
      state: 'waiting',
      start: 3,
      count: 3,
      order: 'asc',
    });
    expect(again.jobs.map((j) => j.id)).toEqual(ids.slice(3, 6));

    const desc = await service.listJobs({
      queue,
      state: 'waiting',
      start: 0,
      count: 7,
      order: 'desc',
    });
    expect(desc.jobs.map((j) => j.id)).toEqual([...ids].reverse());
  });

  it('list rows carry a short data preview, not the whole payload', async () => {
    const page = await service.listJobs({ queue, state: 'waiting', count: 1, order: 'asc' });
    const row = page.jobs[0]!;
    expect(row.dataPreview.length).toBeLessThanOrEqual(200);
    expect(row.dataPreview.startsWith('{"i":0,"blob":"xxx')).toBe(true);
    expect(row.dataBytes).toBeGreaterThan(5_000);
    expect(row).not.toHaveProperty('data');
  });

  it('finds a job by id', async () => {
    const detail = await service.getJob(queue, ids[4]!);
    expect(detail.id).toBe(ids[4]);
    expect(detail.name).toBe('alpha');
    expect(detail.state).toBe('waiting');
    expect(detail.data).toEqual({ i: 4, blob: 'x'.repeat(5_000) });
  });

  it('filters by name within the scanned state', async () => {
    const found = await service.findJobsByName({
      queue,
      state: 'waiting',
      name: 'beta',
      order: 'asc',
    });
    expect(found.jobs.map((j) => j.id)).toEqual([ids[1], ids[3], ids[5]]);
    expect(found.jobs.every((j) => j.name === 'beta')).toBe(true);
    expect(found.total).toBe(3);
    expect(found.scanned).toBe(7);
    expect(found.truncated).toBe(false);

    const secondPage = await service.findJobsByName({
      queue,
      state: 'waiting',
      name: 'alpha',
      order: 'asc',
      start: 2,
      count: 2,
    });
    expect(secondPage.jobs.map((j) => j.id)).toEqual([ids[4], ids[6]]);
    expect(secondPage.total).toBe(4);

    const none = await service.findJobsByName({ queue, state: 'waiting', name: 'gamma' });
    expect(none.jobs).toEqual([]);
    expect(none.total).toBe(0);
  });
});
