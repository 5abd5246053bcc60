/**
 * Which Celery queues Guildhall watches: the custom pools' `watch.celery`, one entry per pool and
 * queue, in the pools' order; and the Redis lists a Celery queue's waiting tasks sit in.
 */
import { describe, expect, it } from 'vitest';
import { celeryQueueKeys, watchedCeleryQueues } from '../../main/queues/celery-queues';
import { clusterSpecSchema } from '../../main/settings/cluster-spec';

describe('watched Celery queues', () => {
  it('come from custom pools only, in pool order, each pool and queue once', () => {
    const spec = clusterSpecSchema.parse({
      pools: {
        zeta: { image: 'my-celery:1', command: ['celery'], watch: { celery: ['b', 'a', 'b'] } },
        alpha: { image: 'my-celery:1', command: ['celery'], watch: { celery: ['a'] } },
        tools: { packages: ['git'], watch: { celery: ['ignored'] } },
        plain: { image: 'other:1' },
      },
    });
    expect(watchedCeleryQueues(spec)).toEqual([
      { name: 'a', pool: 'alpha' },
      { name: 'b', pool: 'zeta' },
      { name: 'a', pool: 'zeta' },
    ]);
    expect(watchedCeleryQueues(clusterSpecSchema.parse({}))).toEqual([]);
  });

  it("a queue's waiting tasks are its own list and kombu's priority lists NAME\\x06\\x16N", () => {
    expect(celeryQueueKeys('claude_tasks')).toEqual([
      'claude_tasks',
      ...[1, 2, 3, 4, 5, 6, 7, 8, 9].map((n) => `claude_tasks\x06\x16${n}`),
    ]);
  });
});
