/**
 * Plans the changes that take a cluster from what the engine has to what the spec wants. Pure:
 * no engine calls, so every case (adoption, duplicates, drift, scale) is unit-tested.
 */
import type { ClusterVolume, ServiceName } from './naming';

export type ContainerState =
  'created' | 'running' | 'paused' | 'restarting' | 'removing' | 'exited' | 'dead';

export interface ObservedContainer {
  id: string;
  name: string;
  service: ServiceName;
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

export interface DesiredCluster {
  redisHash: string;
  workerHash: string;
  replicas: number;
}

export type RemoveReason = 'duplicate' | 'outdated' | 'scale-down' | 'incomplete' | 'broken';

export type InfraAction =
  { kind: 'create-network' } | { kind: 'create-volume'; volume: ClusterVolume };

export type Action =
  | InfraAction
  | {
      kind: 'remove';
      service: ServiceName;
      number: number;
      id: string;
      name: string;
      reason: RemoveReason;
    }
  | { kind: 'create'; service: ServiceName; number: number }
  | { kind: 'start'; service: ServiceName; number: number; id: string; name: string };

export interface Plan {
  infra: InfraAction[];
  redis: Action[];
  /** Workers beyond the wanted count, highest numbers first. */
  scaleDown: Action[];
  /** Per worker number, its actions in order (remove before create). */
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

  const byService = (service: ServiceName) =>
    observed.containers.filter((c) => c.service === service && c.state !== 'removing');

  const redisSlot = slotFor(
    byService('redis').filter((c) => c.number === 1),
    desired.redisHash,
  );
  const strayRedis = byService('redis')
    .filter((c) => c.number !== 1)
    .map((c) => removal(c, 'duplicate'));
  const redis = [...strayRedis, ...steps('redis', 1, redisSlot)];

  const workers = byService('worker');
  const scaleDown = workers
    .filter((c) => c.number > desired.replicas || c.number < 1)
    .sort((a, b) => b.number - a.number)
    .map((c) => removal(c, 'scale-down'));

  const workerSteps: Action[][] = [];
  for (let n = 1; n <= desired.replicas; n++) {
    const slot = slotFor(
      workers.filter((c) => c.number === n),
      desired.workerHash,
    );
    workerSteps.push(steps('worker', n, slot));
  }
  return { infra, redis, scaleDown, workers: workerSteps };
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

function steps(service: ServiceName, number: number, slot: Slot): Action[] {
  const actions = [...slot.remove];
  if (!slot.keep) actions.push({ kind: 'create', service, number });
  else if (slot.keep.state !== 'running' && slot.keep.state !== 'restarting')
    actions.push({ kind: 'start', service, number, id: slot.keep.id, name: slot.keep.name });
  return actions;
}

function removal(container: ObservedContainer, reason: RemoveReason): Action {
  return {
    kind: 'remove',
    service: container.service,
    number: container.number,
    id: container.id,
    name: container.name,
    reason,
  };
}
