import { describe, expect, it } from 'vitest';
import {
  isEmptyPlan,
  planActions,
  planCluster,
  type ObservedCluster,
  type ObservedContainer,
} from '../../main/cluster/plan';

const desired = { redisHash: 'r1', workerHash: 'w1', replicas: 3 };

function container(
  service: 'redis' | 'worker',
  number: number,
  extra: Partial<ObservedContainer> = {},
): ObservedContainer {
  return {
    id: `${service}-${number}-${extra.created ?? 1}`,
    name: `g-${service}-${number}`,
    service,
    number,
    state: 'running',
    specHash: service === 'redis' ? 'r1' : 'w1',
    created: 1,
    ...extra,
  };
}

function healthy(): ObservedCluster {
  return {
    networkId: 'net',
    missingVolumes: [],
    containers: [
      container('redis', 1),
      container('worker', 1),
      container('worker', 2),
      container('worker', 3),
    ],
  };
}

describe('planCluster', () => {
  it('creates everything on an empty engine, workers 1..N', () => {
    const plan = planCluster(
      { networkId: null, missingVolumes: ['redis-data', 'redis-run'], containers: [] },
      desired,
    );
    expect(plan.infra).toEqual([
      { kind: 'create-network' },
      { kind: 'create-volume', volume: 'redis-data' },
      { kind: 'create-volume', volume: 'redis-run' },
    ]);
    expect(plan.redis).toEqual([{ kind: 'create', service: 'redis', number: 1 }]);
    expect(plan.workers.flat()).toEqual(
      [1, 2, 3].map((number) => ({ kind: 'create', service: 'worker', number })),
    );
  });

  it('changes nothing when the engine already matches (idempotent up)', () => {
    expect(isEmptyPlan(planCluster(healthy(), desired))).toBe(true);
  });

  it('adopts stopped containers by starting them instead of recreating', () => {
    const observed = healthy();
    observed.containers[2] = container('worker', 2, { state: 'exited' });
    const actions = planActions(planCluster(observed, desired));
    expect(actions).toEqual([
      { kind: 'start', service: 'worker', number: 2, id: 'worker-2-1', name: 'g-worker-2' },
    ]);
  });

  it('recreates a container that was created but never started (interrupted run)', () => {
    const observed = healthy();
    observed.containers[0] = container('redis', 1, { state: 'created' });
    const actions = planActions(planCluster(observed, desired));
    expect(actions.map((a) => [a.kind, 'reason' in a ? a.reason : undefined])).toEqual([
      ['remove', 'incomplete'],
      ['create', undefined],
    ]);
  });

  it('keeps the oldest of duplicate containers for one slot and removes the rest', () => {
    const observed = healthy();
    observed.containers.push(container('worker', 2, { created: 5, id: 'dup' }));
    const actions = planActions(planCluster(observed, desired));
    expect(actions).toEqual([
      {
        kind: 'remove',
        service: 'worker',
        number: 2,
        id: 'dup',
        name: 'g-worker-2',
        reason: 'duplicate',
      },
    ]);
  });

  it('recreates containers whose spec hash changed', () => {
    const plan = planCluster(healthy(), { ...desired, workerHash: 'w2' });
    expect(plan.redis).toEqual([]);
    for (const steps of plan.workers) {
      expect(steps.map((a) => a.kind)).toEqual(['remove', 'create']);
      expect(steps[0]).toMatchObject({ reason: 'outdated' });
    }
  });

  it('scales down by removing the highest-numbered workers first', () => {
    const observed = healthy();
    observed.containers.push(container('worker', 4), container('worker', 5));
    const plan = planCluster(observed, { ...desired, replicas: 2 });
    expect(plan.scaleDown.map((a) => ('number' in a ? a.number : 0))).toEqual([5, 4, 3]);
    expect(plan.scaleDown.every((a) => a.kind === 'remove' && a.reason === 'scale-down')).toBe(
      true,
    );
    expect(plan.workers.flat()).toEqual([]);
  });

  it('scales up by creating only the missing numbers', () => {
    const plan = planCluster(healthy(), { ...desired, replicas: 5 });
    expect(plan.workers.flat()).toEqual([
      { kind: 'create', service: 'worker', number: 4 },
      { kind: 'create', service: 'worker', number: 5 },
    ]);
  });

  it('fills a gap in the numbering instead of renumbering', () => {
    const observed = healthy();
    observed.containers.splice(2, 1); // worker 2 gone
    const actions = planActions(planCluster(observed, desired));
    expect(actions).toEqual([{ kind: 'create', service: 'worker', number: 2 }]);
  });

  it('removes a stray second Redis container', () => {
    const observed = healthy();
    observed.containers.push(container('redis', 2));
    const actions = planActions(planCluster(observed, desired));
    expect(actions).toEqual([
      {
        kind: 'remove',
        service: 'redis',
        number: 2,
        id: 'redis-2-1',
        name: 'g-redis-2',
        reason: 'duplicate',
      },
    ]);
  });

  it('replaces dead containers and ignores ones being removed', () => {
    const observed = healthy();
    observed.containers[1] = container('worker', 1, { state: 'dead' });
    observed.containers.push(container('worker', 3, { state: 'removing', id: 'going' }));
    const actions = planActions(planCluster(observed, desired));
    expect(actions).toEqual([
      {
        kind: 'remove',
        service: 'worker',
        number: 1,
        id: 'worker-1-1',
        name: 'g-worker-1',
        reason: 'broken',
      },
      { kind: 'create', service: 'worker', number: 1 },
    ]);
  });
});
