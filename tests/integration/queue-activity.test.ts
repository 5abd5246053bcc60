/**
 * followQueueActivity against a real Redis and real BullMQ queues: which queues it reports, how
 * it coalesces a burst, and that it lets go of its connection when stopped.
 */
import { Queue } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { followQueueActivity, REPORT_GAP_MS } from '../../main/queues/queue-activity';
import { QueuesService } from '../../main/queues/queues-service';
import { startTestRedis, uniqueName, waitFor, type TestRedis } from './helpers/queues-fixture';

let redis: TestRedis;
let service: QueuesService;
const queues: Queue[] = [];

beforeAll(async () => {
  redis = await startTestRedis('activity');
  service = new QueuesService({ connection: redis.connection, cluster: uniqueName('activity') });
});
afterAll(async () => {
  await Promise.all(queues.map((queue) => queue.close()));
  await service?.close();
  await redis?.stop();
});

function queueNamed(name: string): Queue {
  const queue = new Queue(name, { connection: redis.connection });
  queues.push(queue);
  return queue;
}

/** Follows until stopped; returns the reports with their times. */
function follow() {
  const reports: { at: number; queues: string[] }[] = [];
  const controller = new AbortController();
  const done = followQueueActivity(
    service.activitySource(),
    (names) => reports.push({ at: Date.now(), queues: names }),
    controller.signal,
  );
  return { reports, stop: () => (controller.abort(), done) };
}

describe('followQueueActivity', () => {
  it('reports the queue a job was added to, and not the idle ones', async () => {
    const busy = queueNamed(uniqueName('busy'));
    const idle = queueNamed(uniqueName('idle'));
    await idle.add('seed', {});
    await busy.add('seed', {});
    await service.refreshQueues(); // queues made outside Guildhall are found by discovery
    // Known queues are read when following starts; activity from before is not reported.
    const follower = follow();
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(follower.reports).toEqual([]);

    await busy.add('hello', { n: 1 });
    await waitFor(
      () => follower.reports.some((r) => r.queues.includes(busy.name)),
      5_000,
      'a report naming the busy queue',
    );
    expect(follower.reports.flatMap((r) => r.queues)).not.toContain(idle.name);
    await follower.stop();
  });

  it('coalesces a burst into a few reports, at least REPORT_GAP_MS apart, the last one after the burst', async () => {
    const queue = queueNamed(uniqueName('burst'));
    await queue.add('seed', {});
    await service.refreshQueues(); // a queue made outside Guildhall is found by discovery
    const follower = follow();
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    const started = Date.now();
    let burstEnded = 0;
    for (let i = 0; i < 20; i++) {
      if (i === 19) burstEnded = Date.now();
      await queue.addBulk(Array.from({ length: 10 }, (_, j) => ({ name: 'n', data: { i, j } })));
    }
    await waitFor(
      () => follower.reports.some((r) => r.at >= burstEnded),
      5_000,
      'a report after the burst',
    );
    await follower.stop();
    const times = follower.reports.map((r) => r.at);
    // 200 jobs, 20 writes: far fewer reports than writes, never closer than the gap.
    expect(times.length).toBeLessThanOrEqual(Math.ceil((burstEnded - started) / REPORT_GAP_MS) + 2);
    for (let i = 1; i < times.length; i++) {
      expect(times[i]! - times[i - 1]!).toBeGreaterThanOrEqual(REPORT_GAP_MS - 5);
    }
  });

  it('reports a queue that appears while following, from its first job', async () => {
    const follower = follow();
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const queue = uniqueName('late');
    await service.addJob({ queue, name: 'first', data: {} });
    await waitFor(
      () => follower.reports.some((r) => r.queues.includes(queue)),
      15_000,
      'a report naming the new queue',
    );
    await follower.stop();
  });

  it('stops at once, with an error, when its service is closed (the cluster was replaced)', async () => {
    const other = new QueuesService({ connection: redis.connection, cluster: uniqueName('gone') });
    // Settled into a value at once: the rejection may come while close() is still running.
    const outcome = followQueueActivity(
      other.activitySource(),
      () => {},
      new AbortController().signal,
    ).then(
      () => 'resolved',
      (err: unknown) => ({ rejectedAt: Date.now(), err }),
    );
    await new Promise((resolve) => setTimeout(resolve, 500));
    const closedAt = Date.now();
    await other.close();
    const result = await outcome;
    expect(result).toMatchObject({ err: expect.any(Error) });
    expect((result as { rejectedAt: number }).rejectedAt - closedAt).toBeLessThan(3_000);
  });

  it('resolves when stopped and closes its connection', async () => {
    const follower = follow();
    const name = `guildhall:${service.cluster}:activity`;
    await waitFor(
      async () => ((await redis.client.client('LIST')) as string).includes(`name=${name}`),
      5_000,
      'the follower connected',
    );
    await follower.stop();
    await waitFor(
      async () => !((await redis.client.client('LIST')) as string).includes(`name=${name}`),
      5_000,
      'the follower disconnected',
    );
  });
});
