/**
 * The plan `guildhall apply` prints before it changes anything: per pool, the image to build and
 * the containers to create, replace and remove; Redis's changes; "no changes" for a file that
 * says what already runs.
 */
import { describe, expect, it } from 'vitest';
import { parseContainerName, planApply, type ApplyPlanInput } from '../../main/settings/apply-plan';
import { clusterSpecSchema, type ClusterSpec } from '../../main/settings/cluster-spec';

function spec(input: Record<string, unknown>): ClusterSpec {
  return clusterSpecSchema.parse({ name: 'c', ...input });
}

const WORKER_IMAGE = 'guildhall/worker:aaa';

function running(names: string[], image = WORKER_IMAGE) {
  return [{ name: 'c-redis-1', image: 'redis:7' }, ...names.map((name) => ({ name, image }))];
}

function plan(input: Partial<ApplyPlanInput> & Pick<ApplyPlanInput, 'desired'>) {
  return planApply({
    current: null,
    containers: [],
    images: { worker: { ref: WORKER_IMAGE, build: false } },
    ...input,
  });
}

describe('apply plan', () => {
  it('an absent cluster: Redis and every container are created, images built', () => {
    const desired = spec({
      workers: { replicas: 2 },
      pools: { tools: { replicas: 1, packages: ['git'] } },
    });
    const result = plan({
      desired,
      images: {
        worker: { ref: WORKER_IMAGE, build: true },
        tools: { ref: 'guildhall/pool-tools:bbb', build: true },
      },
    });
    expect(result.redis.action).toBe('create');
    expect(result.pools.map((p) => [p.pool, p.create, p.image?.build])).toEqual([
      ['worker', ['c-worker-1', 'c-worker-2'], true],
      ['tools', ['c-tools-1'], true],
    ]);
    expect(result.changes).toBe(true);
  });

  it('the same spec over what runs plans nothing', () => {
    const current = spec({ workers: { replicas: 2 } });
    const result = plan({
      current,
      desired: spec({ workers: { replicas: 2 } }),
      containers: running(['c-worker-1', 'c-worker-2']),
    });
    expect(result.redis).toEqual({ action: 'keep', changes: [] });
    expect(result.pools[0]).toMatchObject({ create: [], replace: [], remove: [], keep: 2 });
    expect(result.changes).toBe(false);
  });

  it('scaling down removes the highest numbers; scaling up creates the next', () => {
    const current = spec({ workers: { replicas: 3 } });
    const down = plan({
      current,
      desired: spec({ workers: { replicas: 1 } }),
      containers: running(['c-worker-1', 'c-worker-2', 'c-worker-3']),
    });
    expect(down.pools[0]).toMatchObject({ remove: ['c-worker-2', 'c-worker-3'], keep: 1 });
    const up = plan({
      current,
      desired: spec({ workers: { replicas: 4 } }),
      containers: running(['c-worker-1', 'c-worker-2', 'c-worker-3']),
    });
    expect(up.pools[0]).toMatchObject({ create: ['c-worker-4'], keep: 3 });
  });

  it("a pool's changed settings or image replace its containers, not the other pools'", () => {
    const current = spec({ workers: { replicas: 1 }, pools: { tools: { replicas: 1 } } });
    const desired = spec({
      workers: { replicas: 1 },
      pools: { tools: { replicas: 1, packages: ['git'] } },
    });
    const result = plan({
      current,
      desired,
      containers: running(['c-worker-1', 'c-tools-1']),
      images: {
        worker: { ref: WORKER_IMAGE, build: false },
        tools: { ref: 'guildhall/pool-tools:bbb', build: true },
      },
    });
    expect(result.pools.find((p) => p.pool === 'worker')).toMatchObject({ replace: [], keep: 1 });
    expect(result.pools.find((p) => p.pool === 'tools')).toMatchObject({
      replace: ['c-tools-1'],
      image: { ref: 'guildhall/pool-tools:bbb', build: true },
    });
    // Same settings, but the image the container runs is not the one wanted (e.g. a new base).
    const rebased = plan({
      current,
      desired: current,
      containers: running(['c-worker-1', 'c-tools-1'], 'guildhall/worker:old'),
    });
    expect(rebased.pools[0]!.replace).toEqual(['c-worker-1']);
  });

  it("a custom pool's missing image counts as a change (to pull), even with its containers there", () => {
    const current = spec({ workers: { replicas: 0 }, pools: { celery: { image: 'c:1' } } });
    const result = plan({
      current,
      desired: current,
      containers: running(['c-celery-1'], 'c:1'),
      images: {
        worker: { ref: WORKER_IMAGE, build: false },
        celery: { ref: 'c:1', build: false, pull: true },
      },
    });
    expect(result.pools.find((p) => p.pool === 'celery')).toMatchObject({ keep: 1, replace: [] });
    expect(result.changes).toBe(true);
  });

  it('a pool left out of the file has its containers removed', () => {
    const current = spec({ workers: { replicas: 1 }, pools: { old: { replicas: 2 } } });
    const result = plan({
      current,
      desired: spec({ workers: { replicas: 1 } }),
      containers: running(['c-worker-1', 'c-old-1', 'c-old-2']),
    });
    expect(result.pools.at(-1)).toMatchObject({
      pool: 'old',
      kind: 'removed',
      remove: ['c-old-1', 'c-old-2'],
    });
  });

  it("Redis's changes are listed and replace it", () => {
    const current = spec({ redis: { port: 6379 }, workers: { replicas: 0 } });
    const result = plan({
      current,
      desired: spec({ redis: { port: 6380, persistence: 'always' }, workers: { replicas: 0 } }),
      containers: running([]),
    });
    expect(result.redis).toEqual({
      action: 'replace',
      changes: ['port 6379 → 6380', 'persistence everysec → always'],
    });
  });

  it('reads pool and number from container names, pool names with dashes too', () => {
    expect(parseContainerName('c', 'c-agent-tasks-12')).toEqual({
      pool: 'agent-tasks',
      number: 12,
    });
    expect(parseContainerName('c', 'other-worker-1')).toBeNull();
    expect(parseContainerName('my-c', 'my-c-worker-1')).toEqual({ pool: 'worker', number: 1 });
  });
});
