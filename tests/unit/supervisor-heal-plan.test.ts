/**
 * What the heal duty asks the cluster to do about missing containers: only the empty slots are
 * filled (a stopped, outdated or extra container, and Redis, are left for `up`), and which
 * containers count as missing (a pool scaled to 0 has none).
 */
import { describe, expect, it } from 'vitest';
import { onlyMissingWorkers, planActions, planCluster } from '../../main/cluster/plan';
import type { ClusterStatus, ContainerStatus } from '../../main/cluster/status';
import { clusterRuns, missingContainers } from '../../main/supervisor/heal';

const worker = (number: number, state = 'running', specHash = 'w1') => ({
  id: `w${number}`,
  name: `g-worker-${number}`,
  service: 'worker' as const,
  pool: 'worker',
  number,
  state: state as 'running',
  specHash,
  created: 1,
});

describe('onlyMissingWorkers', () => {
  it('creates the empty slots and nothing else', () => {
    const plan = planCluster(
      {
        networkId: 'net',
        missingVolumes: [],
        containers: [
          {
            ...worker(1),
            service: 'redis',
            pool: 'redis',
            name: 'g-redis-1',
            state: 'exited' as 'running',
            specHash: 'old',
          },
          worker(1, 'exited'), // stopped by the user
          worker(3, 'running', 'old'), // outdated: `up` replaces it
          worker(5), // beyond the count: `up` removes it
        ],
      },
      { redisHash: 'r1', pools: [{ name: 'worker', hash: 'w1', replicas: 4 }] },
    );
    expect(planActions(onlyMissingWorkers(plan))).toEqual([
      { kind: 'create', service: 'worker', pool: 'worker', number: 2 },
      { kind: 'create', service: 'worker', pool: 'worker', number: 4 },
    ]);
  });
});

function status(
  pools: { name: string; desired: number }[],
  numbers: [string, number][],
): ClusterStatus {
  const workers = numbers.map(
    ([pool, number]) =>
      ({ name: `g-${pool}-${number}`, pool, number, state: 'running' }) as ContainerStatus,
  );
  return {
    cluster: 'g',
    state: 'degraded',
    network: true,
    volume: true,
    redis: { state: 'running' } as ClusterStatus['redis'],
    workers,
    desiredWorkers: pools.reduce((sum, p) => sum + p.desired, 0),
    pools: pools.map((p) => ({ ...p, kind: 'builtin', image: null, containers: 0, running: 0 })),
  };
}

describe('missingContainers', () => {
  it('lists the empty slots of every pool; a pool scaled to 0 has none', () => {
    const s = status(
      [
        { name: 'worker', desired: 3 },
        { name: 'tools', desired: 0 },
        { name: 'celery', desired: 1 },
      ],
      [
        ['worker', 1],
        ['worker', 3],
        ['tools', 1],
      ],
    );
    expect(missingContainers(s)).toEqual([
      { pool: 'worker', name: 'g-worker-2' },
      { pool: 'celery', name: 'g-celery-1' },
    ]);
  });

  it('heals only a running cluster', () => {
    const s = status([{ name: 'worker', desired: 1 }], []);
    expect(clusterRuns(s)).toBe(true);
    expect(clusterRuns({ ...s, redis: null })).toBe(false);
    expect(clusterRuns({ ...s, redis: { ...s.redis!, state: 'exited' } })).toBe(false);
    expect(clusterRuns({ ...s, network: false })).toBe(false);
  });
});
