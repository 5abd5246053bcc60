import { describe, expect, it } from 'vitest';
import {
  isEmptyPlan,
  planActions,
  planCluster,
  type DesiredCluster,
  type ObservedCluster,
  type ObservedContainer,
} from '../../main/cluster/plan';

function want(replicas = 3, workerHash = 'w1'): DesiredCluster {
  return { redisHash: 'r1', pools: [{ name: 'worker', hash: workerHash, replicas }] };
}
const desired = want();

function container(
  service: 'redis' | 'worker',
  number: number,
  extra: Partial<ObservedContainer> = {},
): ObservedContainer {
  return {
    id: `${service}-${number}-${extra.created ?? 1}`,
    name: `g-${service}-${number}`,
    service,
    pool: service,
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
    expect(plan.redis).toEqual([{ kind: 'create', service: 'redis', pool: 'redis', number: 1 }]);
    expect(plan.workers.flat()).toEqual(
      [1, 2, 3].map((number) => ({ kind: 'create', service: 'worker', pool: 'worker', number })),
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
      {
        kind: 'start',
        service: 'worker',
        pool: 'worker',
        number: 2,
        id: 'worker-2-1',
        name: 'g-worker-2',
      },
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
        pool: 'worker',
        number: 2,
        id: 'dup',
        name: 'g-worker-2',
        reason: 'duplicate',
      },
    ]);
  });

  it('recreates containers whose spec hash changed', () => {
    const plan = planCluster(healthy(), want(3, 'w2'));
    expect(plan.redis).toEqual([]);
    for (const steps of plan.workers) {
      expect(steps.map((a) => a.kind)).toEqual(['remove', 'create']);
      expect(steps[0]).toMatchObject({ reason: 'outdated' });
    }
  });

  it('scales down by removing the highest-numbered workers first', () => {
    const observed = healthy();
    observed.containers.push(container('worker', 4), container('worker', 5));
    const plan = planCluster(observed, want(2));
    expect(plan.scaleDown.map((a) => ('number' in a ? a.number : 0))).toEqual([5, 4, 3]);
    expect(plan.scaleDown.every((a) => a.kind === 'remove' && a.reason === 'scale-down')).toBe(
      true,
    );
    expect(plan.workers.flat()).toEqual([]);
  });

  it('scales up by creating only the missing numbers', () => {
    const plan = planCluster(healthy(), want(5));
    expect(plan.workers.flat()).toEqual([
      { kind: 'create', service: 'worker', pool: 'worker', number: 4 },
      { kind: 'create', service: 'worker', pool: 'worker', number: 5 },
    ]);
  });

  it('fills a gap in the numbering instead of renumbering', () => {
    const observed = healthy();
    observed.containers.splice(2, 1); // worker 2 gone
    const actions = planActions(planCluster(observed, desired));
    expect(actions).toEqual([{ kind: 'create', service: 'worker', pool: 'worker', number: 2 }]);
  });

  it('removes a stray second Redis container', () => {
    const observed = healthy();
    observed.containers.push(container('redis', 2));
    const actions = planActions(planCluster(observed, desired));
    expect(actions).toEqual([
      {
        kind: 'remove',
        service: 'redis',
        pool: 'redis',
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
        pool: 'worker',
        number: 1,
        id: 'worker-1-1',
        name: 'g-worker-1',
        reason: 'broken',
      },
      { kind: 'create', service: 'worker', pool: 'worker', number: 1 },
    ]);
  });

  it('plans each pool on its own: scaling one never touches another', () => {
    const tools = (n: number, extra: Partial<ObservedContainer> = {}) =>
      container('worker', n, { pool: 'tools', id: `tools-${n}`, name: `g-tools-${n}`, ...extra });
    const observed = healthy();
    observed.containers.push(tools(1, { specHash: 't1' }), tools(2, { specHash: 't1' }));
    const pools = (worker: number, toolCount: number, toolHash = 't1'): DesiredCluster => ({
      redisHash: 'r1',
      pools: [
        { name: 'worker', hash: 'w1', replicas: worker },
        { name: 'tools', hash: toolHash, replicas: toolCount },
      ],
    });
    expect(isEmptyPlan(planCluster(observed, pools(3, 2)))).toBe(true);
    // tools 2 → 3: one create in tools, nothing for worker-N
    expect(planActions(planCluster(observed, pools(3, 3)))).toEqual([
      { kind: 'create', service: 'worker', pool: 'tools', number: 3 },
    ]);
    // worker 3 → 1: only worker-3 and worker-2 go
    const down = planActions(planCluster(observed, pools(1, 2)));
    expect(down.map((a) => ('name' in a ? a.name : a.kind))).toEqual(['g-worker-3', 'g-worker-2']);
    // a changed tools pool recreates its containers only
    const changed = planActions(planCluster(observed, pools(3, 2, 't2')));
    expect(new Set(changed.map((a) => ('pool' in a ? a.pool : '')))).toEqual(new Set(['tools']));
  });

  it('removes the containers of a pool no longer in the spec', () => {
    const observed = healthy();
    observed.containers.push(
      container('worker', 1, { pool: 'old', id: 'old-1', name: 'g-old-1', specHash: 'o' }),
    );
    expect(planActions(planCluster(observed, desired))).toEqual([
      {
        kind: 'remove',
        service: 'worker',
        pool: 'old',
        number: 1,
        id: 'old-1',
        name: 'g-old-1',
        reason: 'pool-removed',
      },
    ]);
  });
});
