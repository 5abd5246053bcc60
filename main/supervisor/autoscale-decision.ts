/**
 * Autoscale's one rule (issue 15): from a pool's backlog, its autoscale block, the host's
 * headroom, the cluster-wide container limit, the cooldown and which workers are idle, the count
 * the pool should have now and why, in English and in numbers. Pure: no clock, no Redis, no
 * engine, so every branch is tested on its own (tests/unit/autoscale-decision.test.ts); the duty
 * (autoscale.ts) gathers the facts and acts on the answer.
 *
 *   wanted = clamp(ceil(backlog / backlogPerWorker), min, max)
 *   up:   bounded by the 64-container limit (all pools) and by memory (each added worker needs
 *         its memoryMb, and memoryMarginMb must stay free beyond them); refused while host CPU ≥
 *         the saturation threshold (100: no CPU bound, see cpuBoundOn). Scale-up has no
 *         cooldown: a backlog is served at once.
 *   down: only after cooldownSeconds since the pool's last change, and only removing idle
 *         workers; the engine removes a pool's highest numbers first, so the count goes down to
 *         just above the highest busy worker.
 */
import type { AutoscaleSpec } from '../settings/pool-spec';

/** One container of the pool, and whether removing it now loses nothing. */
export interface PoolWorker {
  number: number;
  /** No active job (per its heartbeat), or not running at all. */
  idle: boolean;
}

export interface HostHeadroom {
  /** Memory the host can still give, MiB. */
  availableMb: number;
  /** Host CPU use, %, over the last interval. */
  cpuPercent: number;
}

export interface AutoscaleFacts {
  autoscale: AutoscaleSpec;
  /** The pool's count now (its `replicas`). */
  current: number;
  /** Jobs waiting for this pool: waiting + due delayed (built-in), or queued tasks (Celery). */
  backlog: number;
  /** null when the host could not be read: scale-up waits. */
  host: HostHeadroom | null;
  /** The pool's memory limit per container, MiB; 0 = no limit (only the margin is kept). */
  memoryMbPerWorker: number;
  memoryMarginMb: number;
  cpuSaturatedPercent: number;
  /** Containers the other pools ask for. */
  otherPools: number;
  /** Containers allowed in all pools together (MAX_WORKERS). */
  maxWorkers: number;
  /** When the pool's count last changed, ms since the epoch. */
  lastChangeAt: number;
  now: number;
  /** The pool's containers. */
  workers: readonly PoolWorker[];
}

/** Why a pool is held where it is. */
export type HoldCode = 'memory' | 'cpu' | 'limit' | 'cooldown' | 'busy' | 'host-unknown';

export type AutoscaleDecision =
  | { kind: 'steady'; target: number; wanted: number }
  | {
      kind: 'scale-up' | 'scale-down';
      target: number;
      wanted: number;
      reason: string;
      detail: Record<string, string | number>;
    }
  | {
      kind: 'hold';
      code: HoldCode;
      target: number;
      wanted: number;
      reason: string;
      detail: Record<string, string | number>;
    };

/**
 * Whether host CPU bounds scale-up at this threshold. CPU use reads at most 100 %, and a host
 * shared with other work reads 100 % much of the time, so a threshold of 100 (the most the
 * spec allows) turns the CPU bound off instead of holding the pool whenever the host is busy.
 */
export function cpuBoundOn(cpuSaturatedPercent: number): boolean {
  return cpuSaturatedPercent < 100;
}

/** Containers the backlog asks for, within min and max. */
export function wantedReplicas(autoscale: AutoscaleSpec, backlog: number): number {
  const byBacklog = Math.ceil(Math.max(0, backlog) / autoscale.backlogPerWorker);
  return Math.min(autoscale.max, Math.max(autoscale.min, byBacklog));
}

export function decideAutoscale(facts: AutoscaleFacts): AutoscaleDecision {
  const wanted = wantedReplicas(facts.autoscale, facts.backlog);
  if (wanted > facts.current) return decideUp(facts, wanted);
  if (wanted < facts.current) return decideDown(facts, wanted);
  return { kind: 'steady', target: facts.current, wanted };
}

function decideUp(facts: AutoscaleFacts, wanted: number): AutoscaleDecision {
  const { current, host } = facts;
  const why = backlogWhy(facts, wanted);
  const base = { ...why.detail, from: current, wanted };
  const hold = (
    code: HoldCode,
    text: string,
    detail: Record<string, string | number>,
  ): AutoscaleDecision => ({
    kind: 'hold',
    code,
    target: current,
    wanted,
    reason: `held at ${current} (wanted ${wanted}): ${text}`,
    detail: { ...base, code, to: current, ...detail },
  });

  const limitRoom = facts.maxWorkers - facts.otherPools - current;
  if (limitRoom <= 0)
    return hold(
      'limit',
      `${facts.otherPools + current} containers in all pools, the limit is ${facts.maxWorkers}`,
      { total: facts.otherPools + current, limit: facts.maxWorkers },
    );
  if (host === null) return hold('host-unknown', "the host's free memory could not be read", {});
  const spareMb = host.availableMb - facts.memoryMarginMb;
  const perWorker = facts.memoryMbPerWorker;
  const memoryRoom = perWorker > 0 ? Math.floor(spareMb / perWorker) : spareMb >= 0 ? wanted : 0;
  const memory = {
    freeMb: Math.round(host.availableMb),
    memoryMb: perWorker,
    marginMb: facts.memoryMarginMb,
  };
  const memoryText =
    `${formatMb(host.availableMb)} memory free, ` +
    (perWorker > 0 ? `${formatMb(perWorker)} per worker + ` : '') +
    `${formatMb(facts.memoryMarginMb)} margin`;
  if (memoryRoom <= 0) return hold('memory', memoryText, memory);
  // Memory first: it lasts, so it is the reason worth telling; CPU load comes and goes.
  const cpu = Math.round(host.cpuPercent);
  if (cpuBoundOn(facts.cpuSaturatedPercent) && host.cpuPercent >= facts.cpuSaturatedPercent)
    return hold('cpu', `host CPU ${cpu} % ≥ ${facts.cpuSaturatedPercent} %`, {
      cpuPercent: cpu,
      cpuLimit: facts.cpuSaturatedPercent,
    });

  const target = Math.min(wanted, current + limitRoom, current + memoryRoom);
  const bounds: string[] = [];
  const detail: Record<string, string | number> = { ...base, to: target };
  if (target < wanted) {
    if (target === current + limitRoom) {
      bounds.push(`the limit is ${facts.maxWorkers} containers in all pools`);
      detail.limit = facts.maxWorkers;
    } else {
      bounds.push(memoryText);
      Object.assign(detail, memory);
    }
  }
  return {
    kind: 'scale-up',
    target,
    wanted,
    reason:
      `${current} → ${target}: ${why.text}` +
      (bounds.length ? ` (wanted ${wanted}; ${bounds.join('; ')})` : ''),
    detail,
  };
}

function decideDown(facts: AutoscaleFacts, wanted: number): AutoscaleDecision {
  const { current, autoscale } = facts;
  const why = backlogWhy(facts, wanted);
  const base = { ...why.detail, from: current, wanted };
  const waitedMs = facts.now - facts.lastChangeAt;
  const cooldownMs = autoscale.cooldownSeconds * 1000;
  if (waitedMs < cooldownMs) {
    const left = Math.ceil((cooldownMs - waitedMs) / 1000);
    return {
      kind: 'hold',
      code: 'cooldown',
      target: current,
      wanted,
      reason: `held at ${current} (wanted ${wanted}): cooling down, ${left} s left of ${autoscale.cooldownSeconds} s`,
      detail: {
        ...base,
        code: 'cooldown',
        to: current,
        leftSeconds: left,
        cooldownSeconds: autoscale.cooldownSeconds,
      },
    };
  }
  // The engine removes the highest numbers first: stop just above the highest busy one.
  const busy = facts.workers
    .filter((w) => w.number > wanted && !w.idle)
    .map((w) => w.number)
    .sort((a, b) => b - a);
  const target = Math.min(current, Math.max(wanted, busy[0] ?? 0));
  const busyText = busy.map((n) => `#${n}`).join(', ');
  if (target >= current)
    return {
      kind: 'hold',
      code: 'busy',
      target: current,
      wanted,
      reason: `held at ${current} (wanted ${wanted}): ${why.text}, but worker ${busyText} ${busy.length === 1 ? 'is' : 'are'} busy`,
      detail: { ...base, code: 'busy', to: current, busy: busyText },
    };
  return {
    kind: 'scale-down',
    target,
    wanted,
    reason:
      `${current} → ${target}: ${why.text}` +
      (target > wanted ? ` (wanted ${wanted}; worker ${busyText} busy)` : ''),
    detail: { ...base, to: target, ...(busy.length ? { busy: busyText } : {}) },
  };
}

/** "480 waiting, target 80 per worker", or the min/max that bound it. */
function backlogWhy(
  facts: AutoscaleFacts,
  wanted: number,
): { text: string; detail: Record<string, number> } {
  const { autoscale, backlog } = facts;
  const detail = {
    backlog,
    perWorker: autoscale.backlogPerWorker,
    min: autoscale.min,
    max: autoscale.max,
  };
  let text = `${backlog} waiting, target ${autoscale.backlogPerWorker} per worker`;
  const byBacklog = Math.ceil(backlog / autoscale.backlogPerWorker);
  if (byBacklog < wanted) text += `, min ${autoscale.min}`;
  else if (byBacklog > wanted) text += `, max ${autoscale.max}`;
  return { text, detail };
}

/** MiB as people read it: "512 MB", "1.1 GB". */
export function formatMb(mb: number): string {
  if (mb < 1024) return `${Math.round(mb)} MB`;
  const gb = mb / 1024;
  return `${gb < 10 ? gb.toFixed(1).replace(/\.0$/, '') : Math.round(gb)} GB`;
}
