/**
 * The backlog autoscale counts (issue 15), read from a real Redis through the queues service:
 * waiting and prioritized jobs and delayed jobs whose time has come, not delayed jobs still in
 * the future, and nothing for a paused queue. Without a worker BullMQ leaves due jobs in its
 * delayed set, which is exactly the case the count must include.
 */
import { Queue } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QueuesService } from '../../main/queues/index';
import { readQueueBacklogs } from '../../main/queues/queue-backlog';
import { startTestRedis, uniqueName, type TestRedis } from './helpers/queues-fixture';

let redis: TestRedis;
let service: QueuesService;
/** The service's clock: set by the test, so "due" does not depend on how fast the host is. */
let clock = Date.now();
const queues: Queue[] = [];

beforeAll(async () => {
  redis = await startTestRedis('backlog');
  service = new QueuesService({
    connection: redis.connection,
    cluster: uniqueName('bl'),
    now: () => clock,
  });
});

afterAll(async () => {
  await Promise.allSettled(queues.map((q) => q.close()));
  await service?.close();
  await redis?.stop();
});

function queue(name: string): Queue {
  const q = new Queue(name, { connection: redis.connection });
  q.on('error', () => {});
  queues.push(q);
  return q;
}

describe('queue backlog', () => {
  it('counts waiting, prioritized and due delayed jobs; not future ones; none while paused', async () => {
    clock = Date.now(); // before any job is added: none is due yet
    const work = queue('work');
    await work.addBulk(Array.from({ length: 7 }, (_, i) => ({ name: 'w', data: { i } })));
    await work.add('p', {}, { priority: 3 });
    await work.add('soon', {}, { delay: 1000 });
    await work.add('later', {}, { delay: 600_000 });
    const idle = queue('idle');
    await idle.add('x', {}, { delay: 600_000 });
    const paused = queue('held');
    await paused.addBulk([
      { name: 'a', data: {} },
      { name: 'b', data: {} },
    ]);
    await paused.pause();

    const before = await readQueueBacklogs(service.toolkit(), ['work', 'idle', 'held', 'none']);
    expect(before).toEqual([
      { queue: 'work', waiting: 8, dueDelayed: 0, paused: false, backlog: 8 },
      { queue: 'idle', waiting: 0, dueDelayed: 0, paused: false, backlog: 0 },
      { queue: 'held', waiting: 2, dueDelayed: 0, paused: true, backlog: 0 },
      { queue: 'none', waiting: 0, dueDelayed: 0, paused: false, backlog: 0 },
    ]);

    clock = Date.now() + 1500; // 'soon' is due, 'later' is not
    const [after] = await readQueueBacklogs(service.toolkit(), ['work']);
    expect(after).toEqual({ queue: 'work', waiting: 8, dueDelayed: 1, paused: false, backlog: 9 });
  });
});
