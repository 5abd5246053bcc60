/**
 * The autoscale duty (issue 15): on each supervisor tick, for every pool with an `autoscale`
 * block, reads its backlog (built-in pools: waiting + due delayed jobs of the queues they serve;
 * custom pools: their watched Celery queues), the host's headroom and which workers are idle,
 * asks the one rule (autoscale-decision.ts) and acts on it through the cluster service.
 *
 * How a change is made: through `ClusterService.scale(n, { pool })`, the same path as
 * `guildhall scale POOL N`, so the pool's saved `replicas` becomes the new count. Under
 * autoscale `replicas` is the pool's current count, not a fixed wish: a later `up`, the heal duty
 * and a restarted app all keep what autoscale last chose, and autoscale moves it again within
 * min..max. A user's `scale` is respected as a change (the cooldown restarts from it).
 *
 * Scale-down removes only idle workers: the engine removes a pool's highest numbers, so the
 * count goes down only to just above the highest busy worker (busy per its heartbeat; a custom
 * pool's containers send none and count as idle). Removal is a graceful stop with the pool's
 * stopTimeoutSeconds: a worker that took a job at the last moment finishes it before it exits,
 * and BullMQ's lock keeps any other worker from running it too.
 *
 * Every change is recorded as an action; a hold is recorded when its reason changes, not on
 * every tick. A failed scale is a hold too, tried again after FAILED_RETRY_MS. The cooldown
 * counts from the pool's last change as this process saw it: a supervisor that just started
 * (or took over) waits one cooldown before its first scale-down.
 */
import { MAX_WORKERS } from '@shared/spec-limits';
import type { ContainerStatus } from '../cluster/status';
import { createHostHeadroomReader, type HostHeadroomReading } from '../monitor/host-headroom';
import { readQueueBacklogs } from '../queues/queue-backlog';
import { CurrentQueues } from '../queues/current-queues';
import type { QueuesService } from '../queues/queues-service';
import { readHeartbeats } from '../queues/worker-views';
import { clusterPools, totalReplicas, type ClusterPool } from '../settings/cluster-spec';
import type { Heartbeat } from '@shared/worker-contract';
import { parseQueueEntry, queueEntry } from '@shared/worker-contract';
import type { DutyContext, SupervisorDuty } from './duty';
import { decideAutoscale, type AutoscaleDecision, type PoolWorker } from './autoscale-decision';

export interface AutoscaleDutyOptions {
  /**
   * Changes a pool's count. Default: the cluster service's scale, not waiting for heartbeats
   * (the next tick sees the new workers). A face may route it through its operation queue.
   */
  scale?: (context: DutyContext, pool: string, replicas: number) => Promise<void>;
  /** The host's free memory and CPU use (default: monitor/host-headroom.ts). */
  headroom?: () => Promise<HostHeadroomReading>;
}

interface PoolMemory {
  /** The count last seen, to notice a change made by someone else. */
  seen: number;
  lastChangeAt: number;
  /** The hold last recorded (its code), so the same hold is not recorded every tick. */
  lastHold: string | null;
  /** When a scale last failed: the next try waits FAILED_RETRY_MS (no `up` every tick). */
  failedAt: number | null;
}

/** How long after a failed scale (an image gone, the engine down) the duty tries again. */
export const FAILED_RETRY_MS = 30_000;

export const AUTOSCALE_DUTY = 'autoscale';

export function createAutoscaleDuty(options: AutoscaleDutyOptions = {}): SupervisorDuty {
  const headroom = options.headroom ?? createHostHeadroomReader();
  const scale =
    options.scale ??
    (async (context: DutyContext, pool: string, replicas: number) => {
      await context.core.cluster.scale(replicas, { pool, waitForWorkers: false });
    });
  const memory = new Map<string, PoolMemory>();
  let queues: CurrentQueues | null = null;

  return {
    name: AUTOSCALE_DUTY,
    async tick(context) {
      const { spec } = await context.core.cluster.spec();
      const pools = clusterPools(spec).filter((p) => p.spec.autoscale !== null);
      for (const name of memory.keys())
        if (!pools.some((p) => p.name === name)) memory.delete(name);
      if (pools.length === 0 || context.status.redis?.state !== 'running') return;
      queues ??= new CurrentQueues(context.core);
      const service = await queues.get();
      const [heartbeats, host] = await Promise.all([
        readHeartbeats(service.toolkit().redis, spec.name),
        headroom().catch(() => null),
      ]);
      const backlogs = await readBacklogs(service, pools, heartbeats, context.status.workers);
      // All pools' containers, kept current as this tick changes pools one after another.
      let total = totalReplicas(spec);
      for (const pool of pools) {
        if (context.signal.aborted) return;
        const current = pool.spec.replicas;
        const known = memory.get(pool.name);
        const state: PoolMemory =
          known && known.seen === current
            ? known
            : {
                seen: current,
                lastChangeAt: context.now,
                lastHold: known?.lastHold ?? null,
                failedAt: null,
              };
        memory.set(pool.name, state);
        const decision = decideAutoscale({
          autoscale: pool.spec.autoscale!,
          current,
          backlog: backlogs.get(pool.name) ?? 0,
          host,
          memoryMbPerWorker: pool.spec.memoryMb,
          memoryMarginMb: spec.supervisor.memoryMarginMb,
          cpuSaturatedPercent: spec.supervisor.cpuSaturatedPercent,
          otherPools: total - current,
          maxWorkers: MAX_WORKERS,
          lastChangeAt: state.lastChangeAt,
          now: context.now,
          workers: poolWorkers(pool, context.status.workers, heartbeats),
        });
        await act(context, pool.name, decision, state, scale);
        total += state.seen - current;
      }
    },
    async stop() {
      await queues?.close();
      queues = null;
    },
  };
}

async function act(
  context: DutyContext,
  pool: string,
  decision: AutoscaleDecision,
  state: PoolMemory,
  scale: NonNullable<AutoscaleDutyOptions['scale']>,
): Promise<void> {
  if (decision.kind === 'steady') {
    state.lastHold = null;
    return;
  }
  if (decision.kind === 'hold') {
    if (state.lastHold === decision.code) return;
    state.lastHold = decision.code;
    context.record({
      kind: 'decision',
      pool,
      target: null,
      action: 'hold',
      reason: decision.reason,
      detail: decision.detail,
    });
    return;
  }
  if (state.failedAt !== null && context.now - state.failedAt < FAILED_RETRY_MS) return;
  try {
    await scale(context, pool, decision.target);
  } catch (err) {
    const message = (err as Error)?.message ?? String(err);
    state.failedAt = context.now;
    if (state.lastHold === 'failed') return;
    state.lastHold = 'failed';
    context.record({
      kind: 'decision',
      pool,
      target: null,
      action: 'hold',
      reason: `held at ${state.seen}: scaling to ${decision.target} failed: ${message}`,
      detail: { ...decision.detail, code: 'failed', to: state.seen, error: message },
    });
    return;
  }
  state.seen = decision.target;
  state.lastChangeAt = context.now;
  state.lastHold = null;
  state.failedAt = null;
  context.record({
    kind: 'action',
    pool,
    target: null,
    action: decision.kind,
    reason: decision.reason,
    detail: decision.detail,
  });
}

/**
 * Each autoscaled pool's backlog: the queues a built-in pool serves (its `queues`; with none, what
 * its workers' heartbeats say they consume, or every known queue before any has started), or a
 * custom pool's watched Celery queues.
 */
async function readBacklogs(
  service: QueuesService,
  pools: readonly ClusterPool[],
  heartbeats: ReadonlyMap<string, Heartbeat>,
  containers: readonly ContainerStatus[],
): Promise<Map<string, number>> {
  const builtin = pools.filter((p) => p.kind === 'builtin');
  const custom = pools.filter((p) => p.kind === 'custom');
  // A heartbeat's name is its container's.
  const poolOf = new Map(containers.map((c) => [c.name, c.pool]));
  const beats = [...heartbeats.values()];
  const consumed = (pool: ClusterPool): string[] => [
    ...new Set(beats.filter((b) => poolOf.get(b.name) === pool.name).flatMap((b) => b.queues)),
  ];
  const needsKnown = builtin.some((p) => p.spec.queues.length === 0 && consumed(p).length === 0);
  const known = needsKnown ? await service.knownQueues() : [];
  const queuesOf = (pool: ClusterPool): string[] => {
    if (pool.spec.queues.length > 0)
      return pool.spec.queues.map((binding) => parseQueueEntry(queueEntry(binding)).queue);
    const fromBeats = consumed(pool);
    return fromBeats.length > 0 ? fromBeats : known;
  };
  const [backlogs, celery] = await Promise.all([
    readQueueBacklogs(service.toolkit(), [...new Set(builtin.flatMap(queuesOf))]),
    custom.length > 0 ? service.celeryQueues() : Promise.resolve([]),
  ]);
  const byQueue = new Map(backlogs.map((b) => [b.queue, b.backlog]));
  const result = new Map<string, number>();
  for (const pool of builtin)
    result.set(
      pool.name,
      queuesOf(pool).reduce((sum, queue) => sum + (byQueue.get(queue) ?? 0), 0),
    );
  for (const pool of custom)
    result.set(
      pool.name,
      celery.filter((q) => q.pool === pool.name).reduce((sum, q) => sum + q.waiting, 0),
    );
  return result;
}

/**
 * The pool's containers and whether each is idle: not running (nothing to lose), or a built-in
 * worker whose heartbeat shows no active job. A running built-in worker without a heartbeat may
 * be mid-job with its Redis link down: not idle. Custom pools send no heartbeat: their
 * containers count as idle, and their graceful stop (stopTimeoutSeconds) lets a task finish.
 */
function poolWorkers(
  pool: ClusterPool,
  containers: readonly ContainerStatus[],
  heartbeats: ReadonlyMap<string, Heartbeat>,
): PoolWorker[] {
  return containers
    .filter((c) => c.pool === pool.name)
    .map((c) => {
      if (c.state !== 'running' || pool.kind === 'custom') return { number: c.number, idle: true };
      const beat = heartbeats.get(c.name);
      const idle =
        beat !== undefined &&
        beat.activeJobs.length === 0 &&
        (beat.state === 'idle' || beat.state === 'starting');
      return { number: c.number, idle };
    });
}
