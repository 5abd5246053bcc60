/**
 * Actions of the queues core against a real Redis with real BullMQ workers: add (and its
 * validation), retry, remove, promote, pause/resume, clean and drain.
 */
import type { Worker } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QueuesService } from '../../main/queues/queues-service';
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
const cluster = uniqueName('qtest-actions');

async function rejection(promise: Promise<unknown>): Promise<GuildhallError> {
  const err = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(GuildhallError);
  return err as GuildhallError;
}

async function counts(queue: string) {
  return (await service.getQueue(queue)).counts;
}

beforeAll(async () => {
  redis = await startTestRedis('actions');
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

describe('addJob', () => {
  it('adds a job with its options and default retention', async () => {
    const result = await service.addJob({
      queue: 'qa-add',
      name: 'resize',
      data: { image: 'a.png', sizes: [1, 2] },
      options: { attempts: 3, backoff: { type: 'exponential', delay: 500 }, priority: 5 },
    });
    expect(result).toMatchObject({
      queue: 'qa-add',
      name: 'resize',
      created: true,
      newQueue: true,
    });
    const detail = await service.getJob('qa-add', result.id);
    expect(detail.data).toEqual({ image: 'a.png', sizes: [1, 2] });
    expect(detail.state).toBe('prioritized');
    expect(detail.maxAttempts).toBe(3);
    expect(detail.opts).toMatchObject({
      attempts: 3,
      backoff: { type: 'exponential', delay: 500 },
      priority: 5,
      removeOnComplete: { count: 10_000 },
      removeOnFail: false,
    });
    // The new queue has BullMQ's meta, so other tools see it too.
    expect(await redis.client.hget('bull:qa-add:meta', 'version')).toMatch(/^bullmq:/);

    const second = await service.addJob({ queue: 'qa-add', data: {} });
    expect(second.newQueue).toBe(false);
  });

  it('a repeated custom jobId adds nothing and says so', async () => {
    const first = await service.addJob({
      queue: 'qa-add',
      data: { v: 1 },
      options: { jobId: 'order-42' },
    });
    const again = await service.addJob({
      queue: 'qa-add',
      data: { v: 2 },
      options: { jobId: 'order-42' },
    });
    expect(first).toMatchObject({ id: 'order-42', created: true });
    expect(again).toMatchObject({ id: 'order-42', created: false });
    expect((await service.getJob('qa-add', 'order-42')).data).toEqual({ v: 1 });
  });

  it.each([
    ['a function', { run: () => 1 }, /data\.run is a function/],
    ['a BigInt', { big: 10n }, /data\.big is a BigInt/],
    ['undefined inside an array', [1, undefined], /data\[1\] is undefined/],
    ['NaN', { n: Number.NaN }, /data\.n is NaN/],
    ['a Map', { m: new Map() }, /data\.m is a Map/],
  ])('rejects data with %s, naming the field', async (_what, data, pattern) => {
    const err = await rejection(service.addJob({ queue: 'qa-bad', data }));
    expect(err.code).toBe('invalid-input');
    expect(err.message).toMatch(pattern);
  });

  it('rejects circular data', async () => {
    const data: Record<string, unknown> = { a: 1 };
    data['self'] = data;
    const err = await rejection(service.addJob({ queue: 'qa-bad', data }));
    expect(err.code).toBe('invalid-input');
    expect(err.message).toMatch(/data\.self refers back to itself/);
  });

  it('rejects oversized data, naming its size and the 512 KiB limit', async () => {
    const err = await rejection(
      service.addJob({ queue: 'qa-bad', data: { blob: 'x'.repeat(600 * 1024) } }),
    );
    expect(err.code).toBe('invalid-input');
    expect(err.message).toContain('data is 600 KiB');
    expect(err.message).toContain('the limit is 512 KiB (524288 bytes)');
  });

  it.each([
    ['negative delay', { delay: -1 }, 'delay must be 0 or more'],
    ['zero attempts', { attempts: 0 }, 'attempts must be at least 1'],
    ['too many attempts', { attempts: 101 }, 'attempts must be at most 100'],
    ['too high priority', { priority: 2_097_153 }, 'priority must be at most 2097152'],
    ['an integer jobId', { jobId: '123' }, 'jobId must not be only digits'],
    [
      'an unknown backoff type',
      { backoff: { type: 'linear', delay: 10 } },
      'backoff.type must be "fixed" or "exponential"',
    ],
    ['an unknown option', { retries: 3 }, 'unknown field in options: retries'],
  ])('rejects %s with a message naming the field', async (_what, options, message) => {
    const err = await rejection(
      service.addJob({ queue: 'qa-bad', data: {}, options: options as never }),
    );
    expect(err.code).toBe('invalid-input');
    expect(err.message).toContain(message);
  });

  it('rejects a bad queue name, and invalid adds create nothing', async () => {
    const err = await rejection(service.addJob({ queue: 'has space', data: {} }));
    expect(err.code).toBe('invalid-input');
    expect(err.message).toMatch(/^Invalid job: queue must be 1–64 characters/);
    expect(await redis.client.exists('bull:qa-bad:meta', 'bull:qa-bad:id')).toBe(0);
    expect(await service.knownQueues()).not.toContain('qa-bad');
  });

  it('unknown queues are not-found for every action', async () => {
    for (const attempt of [
      service.retryJob('qa-nope', '1'),
      service.retryAllFailed('qa-nope'),
      service.removeJob('qa-nope', '1'),
      service.promoteJob('qa-nope', '1'),
      service.pauseQueue('qa-nope'),
      service.resumeQueue('qa-nope'),
      service.cleanQueue({ queue: 'qa-nope', state: 'completed' }),
      service.drainQueue({ queue: 'qa-nope' }),
    ]) {
      const err = await rejection(attempt);
      expect(err.code).toBe('not-found');
      expect(err.hint).toContain('qa-add');
    }
    expect(await redis.client.exists('bull:qa-nope:meta')).toBe(0);
  });
});

describe('retry', () => {
  const queue = 'qa-retry';
  const healed = new Set<string>();

  beforeAll(async () => {
    workers.push(
      startWorker(redis, queue, async (job) => {
        if (!healed.has(job.id!)) throw new Error(`not yet: ${job.id}`);
        return 'ok';
      }),
    );
    for (let i = 0; i < 3; i++) await service.addJob({ queue, data: { i } });
    await waitFor(async () => (await counts(queue)).failed === 3, 20_000, 'three failed jobs');
  });

  it('retrying one failed job makes it run again and complete', async () => {
    const failed = await service.listJobs({ queue, state: 'failed', order: 'asc' });
    const target = failed.jobs[0]!.id;
    healed.add(target);
    expect(await service.retryJob(queue, target)).toEqual({ queue, id: target, action: 'retried' });
    await waitFor(
      async () => (await counts(queue)).completed === 1,
      20_000,
      'the retried job to complete',
    );
    expect((await service.getJob(queue, target)).state).toBe('completed');
    expect((await counts(queue)).failed).toBe(2);
  });

  it('only failed jobs can be retried', async () => {
    const done = await service.listJobs({ queue, state: 'completed' });
    const err = await rejection(service.retryJob(queue, done.jobs[0]!.id));
    expect(err.code).toBe('invalid-input');
    expect(err.message).toContain('is completed; only failed jobs can be retried');
    expect((await rejection(service.retryJob(queue, 'no-such-job'))).code).toBe('not-found');
  });

  it('retrying all failed jobs completes them', async () => {
    for (const job of (await service.listJobs({ queue, state: 'failed' })).jobs) healed.add(job.id);
    expect(await service.retryAllFailed(queue)).toEqual({ queue, retried: 2 });
    await waitFor(
      async () => (await counts(queue)).completed === 3,
      20_000,
      'all retried jobs to complete',
    );
    expect((await counts(queue)).failed).toBe(0);
  });
});

describe('remove and promote', () => {
  const queue = 'qa-idle'; // no worker consumes it

  it('removes a waiting job', async () => {
    const { id } = await service.addJob({ queue, data: { keep: false } });
    const keep = await service.addJob({ queue, data: { keep: true } });
    expect(await service.removeJob(queue, id)).toEqual({ queue, id, action: 'removed' });
    expect((await rejection(service.getJob(queue, id))).code).toBe('not-found');
    expect((await service.getJob(queue, keep.id)).state).toBe('waiting');
    expect((await rejection(service.removeJob(queue, id))).code).toBe('not-found');
  });

  it('promotes a delayed job to waiting, and refuses to promote a job that is not delayed', async () => {
    const { id } = await service.addJob({ queue, data: {}, options: { delay: 60_000 } });
    const before = await service.getJob(queue, id);
    expect(before.state).toBe('delayed');
    expect(before.dueAt).toBeGreaterThanOrEqual(before.timestamp + 60_000);
    expect(await service.promoteJob(queue, id)).toEqual({ queue, id, action: 'promoted' });
    expect((await service.getJob(queue, id)).state).toBe('waiting');
    const err = await rejection(service.promoteJob(queue, id));
    expect(err.code).toBe('invalid-input');
    expect(err.message).toContain('is waiting; only delayed jobs can be promoted');
  });
});

describe('pause and resume', () => {
  const queue = 'qa-pause';

  it('a paused queue gets no processing; resuming lets the jobs run', async () => {
    const processed: string[] = [];
    workers.push(
      startWorker(redis, queue, async (job) => {
        processed.push(job.id!);
      }),
    );
    await service.addJob({ queue, data: { warmup: true } });
    await waitFor(() => processed.length === 1, 10_000, 'the warm-up job');

    expect(await service.pauseQueue(queue)).toEqual({ queue, isPaused: true });
    await service.addJob({ queue, data: { n: 1 } });
    await service.addJob({ queue, data: { n: 2 } });
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(processed).toHaveLength(1);
    const paused = await service.getQueue(queue);
    expect(paused.isPaused).toBe(true);
    expect(paused.counts.waiting).toBe(2);

    expect(await service.resumeQueue(queue)).toEqual({ queue, isPaused: false });
    await waitFor(() => processed.length === 3, 10_000, 'the held jobs to run after resume');
    expect((await service.getQueue(queue)).counts.completed).toBe(3);
  });
});

describe('clean and drain', () => {
  it('clean removes only jobs of the state that are older than the grace period', async () => {
    const queue = 'qa-clean';
    workers.push(
      startWorker(redis, queue, async (job) => {
        if (job.data.fail) throw new Error('fails');
      }),
    );
    for (let i = 0; i < 3; i++) await service.addJob({ queue, data: { i } });
    await service.addJob({ queue, data: { fail: true } });
    await waitFor(
      async () => {
        const c = await counts(queue);
        return c.completed === 3 && c.failed === 1;
      },
      20_000,
      'jobs to finish',
    );

    const young = await service.cleanQueue({ queue, state: 'completed', graceMs: 60_000 });
    expect(young).toEqual({ queue, state: 'completed', removed: 0, removedIds: [] });

    await new Promise((resolve) => setTimeout(resolve, 50));
    const limited = await service.cleanQueue({ queue, state: 'completed', graceMs: 10, limit: 2 });
    expect(limited.removed).toBe(2);
    const rest = await service.cleanQueue({ queue, state: 'completed', graceMs: 10 });
    expect(rest.removed).toBe(1);
    const c = await counts(queue);
    expect(c.completed).toBe(0);
    expect(c.failed).toBe(1);
  });

  it('drain removes waiting jobs, and delayed ones only when asked', async () => {
    const queue = 'qa-drain'; // no worker
    for (let i = 0; i < 3; i++) await service.addJob({ queue, data: { i } });
    await service.addJob({ queue, data: {}, options: { priority: 3 } });
    for (let i = 0; i < 2; i++)
      await service.addJob({ queue, data: { i }, options: { delay: 60_000 } });

    expect(await service.drainQueue({ queue })).toEqual({
      queue,
      includedDelayed: false,
      removed: 4,
    });
    let c = await counts(queue);
    expect(c.waiting + c.prioritized).toBe(0);
    expect(c.delayed).toBe(2);

    expect(await service.drainQueue({ queue, includeDelayed: true })).toEqual({
      queue,
      includedDelayed: true,
      removed: 2,
    });
    c = await counts(queue);
    expect(c.delayed).toBe(0);
  });
});
