/**
 * Plans the changes that take a cluster from what the engine has to what the spec wants. Pure:
 * no engine calls, so every case (adoption, duplicates, drift, scale, pools added and removed) is
 * unit-tested. Each pool is planned on its own: its slots are `<pool>-1..replicas`, and a change
 * to one pool never plans an action on another's containers.
 */
import type { ClusterVolume, ServiceName } from './naming';

export type ContainerState =
  'created' | 'running' | 'paused' | 'restarting' | 'removing' | 'exited' | 'dead';

export interface ObservedContainer {
  id: string;
  name: string;
  service: ServiceName;
  /** The pool it belongs to; `redis` for the broker. */
  pool: string;
  number: number;
  state: ContainerState;
  specHash: string;
  /** Seconds since creation — the oldest of duplicates is kept. */
  created: number;
}

export interface ObservedCluster {
  networkId: string | null;
  missingVolumes: ClusterVolume[];
  containers: ObservedContainer[];
}

/** One pool as the plan needs it: its containers' spec hash and how many. */
export interface DesiredPool {
  name: string;
  hash: string;
  replicas: number;
}

export interface DesiredCluster {
  /** null: no Redis container (the cluster uses an external Redis); any of ours is removed. */
  redisHash: string | null;
  /** Every pool of the spec; containers of pools not listed are removed. */
  pools: DesiredPool[];
}

export type RemoveReason =
  'duplicate' | 'outdated' | 'scale-down' | 'pool-removed' | 'incomplete' | 'broken';

export type InfraAction =
  { kind: 'create-network' } | { kind: 'create-volume'; volume: ClusterVolume };

export type Action =
  | InfraAction
  | {
      kind: 'remove';
      service: ServiceName;
      pool: string;
      number: number;
      id: string;
      name: string;
      reason: RemoveReason;
    }
  | { kind: 'create'; service: ServiceName; pool: string; number: number }
  | {
      kind: 'start';
      service: ServiceName;
      pool: string;
      number: number;
      id: string;
      name: string;
    };

export interface Plan {
  infra: InfraAction[];
  redis: Action[];
  /** Pool containers beyond their pool's count (highest first) or of removed pools. */
  scaleDown: Action[];
  /** Per pool container slot (pool by pool, numbers ascending), its actions in order. */
  workers: Action[][];
}

export function isEmptyPlan(plan: Plan): boolean {
  return (
    plan.infra.length === 0 &&
    plan.redis.length === 0 &&
    plan.scaleDown.length === 0 &&
    plan.workers.every((steps) => steps.length === 0)
  );
}

/**
 * Only the creation of pool containers whose slot is empty: what the supervisor's heal duty
 * asks for (`ClusterService.recreateMissing`). Redis, scale-down, replacements and starts of
 * stopped containers stay for `up`: a container the user stopped is left stopped.
 */
export function onlyMissingWorkers(plan: Plan): Plan {
  return {
    infra: [],
    redis: [],
    scaleDown: [],
    workers: plan.workers.map((steps) =>
      steps.length === 1 && steps[0]!.kind === 'create' ? steps : [],
    ),
  };
}

export function planActions(plan: Plan): Action[] {
  return [...plan.infra, ...plan.redis, ...plan.scaleDown, ...plan.workers.flat()];
}

/** The network and volumes to create: what the cluster's containers need before they exist. */
export function planInfra(
  observed: Pick<ObservedCluster, 'networkId' | 'missingVolumes'>,
): InfraAction[] {
  return [
    ...(observed.networkId ? [] : [{ kind: 'create-network' } as const]),
    ...observed.missingVolumes.map((volume) => ({ kind: 'create-volume', volume }) as const),
  ];
}

export function planCluster(observed: ObservedCluster, desired: DesiredCluster): Plan {
  const infra = planInfra(observed);
  const live = observed.containers.filter((c) => c.state !== 'removing');

  const redisContainers = live.filter((c) => c.service === 'redis');
  const wantedRedis = desired.redisHash;
  if (wantedRedis === null) {
    const redis = redisContainers.map((c) => removal(c, 'outdated'));
    return { infra, redis, ...planPools(live, desired) };
  }
  const redisSlot = slotFor(
    redisContainers.filter((c) => c.number === 1),
    wantedRedis,
  );
  const strayRedis = redisContainers
    .filter((c) => c.number !== 1)
    .map((c) => removal(c, 'duplicate'));
  const redis = [...strayRedis, ...steps('redis', 'redis', 1, redisSlot)];
  return { infra, redis, ...planPools(live, desired) };
}

/** Each pool's slots: removals beyond the count (or of removed pools), and each slot's steps. */
function planPools(
  live: ObservedContainer[],
  desired: DesiredCluster,
): Pick<Plan, 'scaleDown' | 'workers'> {
  const poolContainers = live.filter((c) => c.service === 'worker');
  const wanted = new Map(desired.pools.map((pool) => [pool.name, pool]));
  const scaleDown = poolContainers
    .flatMap((c) => {
      const pool = wanted.get(c.pool);
      if (!pool) return [removal(c, 'pool-removed')];
      return c.number > pool.replicas || c.number < 1 ? [removal(c, 'scale-down')] : [];
    })
    .sort((a, b) => numberOf(b) - numberOf(a));

  const workerSteps: Action[][] = [];
  for (const pool of desired.pools) {
    const own = poolContainers.filter((c) => c.pool === pool.name);
    for (let n = 1; n <= pool.replicas; n++) {
      const slot = slotFor(
        own.filter((c) => c.number === n),
        pool.hash,
      );
      workerSteps.push(steps('worker', pool.name, n, slot));
    }
  }
  return { scaleDown, workers: workerSteps };
}

function numberOf(action: Action): number {
  return 'number' in action ? action.number : 0;
}

interface Slot {
  keep: ObservedContainer | null;
  remove: Action[];
}

/** Decides, for one service slot, which container (if any) to keep and which to remove. */
function slotFor(candidates: ObservedContainer[], wantedHash: string): Slot {
  const sorted = [...candidates].sort((a, b) => a.created - b.created || a.id.localeCompare(b.id));
  const remove: Action[] = [];
  let keep: ObservedContainer | null = null;
  for (const container of sorted) {
    const reason = unusable(container, wantedHash);
    if (reason) remove.push(removal(container, reason));
    else if (keep) remove.push(removal(container, 'duplicate'));
    else keep = container;
  }
  return { keep, remove };
}

function unusable(container: ObservedContainer, wantedHash: string): RemoveReason | null {
  // Never started: it may lack the files written before start; creating anew is cheap and safe.
  if (container.state === 'created') return 'incomplete';
  if (container.state === 'dead') return 'broken';
  if (container.specHash !== wantedHash) return 'outdated';
  return null;
}

function steps(service: ServiceName, pool: string, number: number, slot: Slot): Action[] {
  const actions = [...slot.remove];
  if (!slot.keep) actions.push({ kind: 'create', service, pool, number });
  else if (slot.keep.state !== 'running' && slot.keep.state !== 'restarting')
    actions.push({
      kind: 'start',
      service,
      pool,
      number,
      id: slot.keep.id,
      name: slot.keep.name,
    });
  return actions;
}

function removal(container: ObservedContainer, reason: RemoveReason): Action {
  return {
    kind: 'remove',
    service: container.service,
    pool: container.pool,
    number: container.number,
    id: container.id,
    name: container.name,
    reason,
  };
}
