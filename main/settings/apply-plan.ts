/**
 * What `guildhall apply` will change, shown before it changes it: per pool the image to build
 * and the containers to create, replace and remove; Redis's changes. Pure — computed from the
 * containers the cluster has (by name, `<cluster>-<pool>-<n>`, so it reads clusters of every
 * version), the spec in force and the spec wanted — so every case is unit-tested. The reconciler
 * still decides at `up`; this is the preview a user reads before saying yes.
 */
import { clusterPools, type ClusterSpec } from './cluster-spec';
import type { PoolKind, PoolSpec } from './pool-spec';

export interface ObservedContainerName {
  name: string;
  /** The image the container runs (its reference, as created). */
  image: string;
}

/** A pool's image as `apply` will use it; `ref` null when it cannot be known before building. */
export interface PoolImagePlan {
  ref: string | null;
  /** True when it must be built first. */
  build: boolean;
  /** True when it must be pulled first (a custom pool's image the engine lacks). */
  pull?: boolean;
}

export interface PoolPlan {
  pool: string;
  /** `removed` for a pool the file no longer has. */
  kind: PoolKind | 'removed';
  replicas: number;
  image: PoolImagePlan | null;
  create: string[];
  replace: string[];
  remove: string[];
  /** Containers left as they are. */
  keep: number;
}

export interface RedisPlan {
  /** `remove`: the cluster moves to an external Redis and its Redis container goes. */
  action: 'create' | 'replace' | 'keep' | 'remove';
  /** What differs, e.g. `port 6379 → 6380`. */
  changes: string[];
  /** The external Redis's URL (no password) when the cluster uses one. */
  external?: string;
}

/** A queue whose global limits the file changes (both null: its limits are lifted). */
export interface QueueLimitsPlan {
  queue: string;
  concurrency: number | null;
  rateLimit: { max: number; durationMs: number } | null;
}

export interface ApplyPlan {
  cluster: string;
  redis: RedisPlan;
  pools: PoolPlan[];
  queueLimits: QueueLimitsPlan[];
  /** False when applying changes nothing. */
  changes: boolean;
}

export interface ApplyPlanInput {
  /** The spec in force (saved), or null when there is none yet. */
  current: ClusterSpec | null;
  desired: ClusterSpec;
  /** The desired cluster's containers on the engine. */
  containers: ObservedContainerName[];
  /** Each desired pool's image, by pool name. */
  images: Record<string, PoolImagePlan>;
}

/** `<cluster>-<pool>-<n>` → pool and number; null for a name of another cluster. */
export function parseContainerName(
  cluster: string,
  name: string,
): { pool: string; number: number } | null {
  const prefix = `${cluster}-`;
  if (!name.startsWith(prefix)) return null;
  const match = /^(.+)-(\d+)$/.exec(name.slice(prefix.length));
  return match ? { pool: match[1]!, number: Number(match[2]) } : null;
}

/** The pool's settings that shape its containers (all but the count). */
function shapeOf(pool: PoolSpec, shared: unknown): string {
  const { replicas: _replicas, ...rest } = pool;
  return JSON.stringify([rest, shared]);
}

function specPools(spec: ClusterSpec | null): Map<string, { kind: PoolKind; shape: string }> {
  const out = new Map<string, { kind: PoolKind; shape: string }>();
  if (!spec) return out;
  // The default pool's own network settings are in its pool spec, not shared with the others.
  const { replicas: _r, allowPrivateNetworks: _a, network: _n, ...shared } = spec.workers;
  for (const pool of clusterPools(spec))
    out.set(pool.name, { kind: pool.kind, shape: shapeOf(pool.spec, shared) });
  return out;
}

function redisPlan(
  current: ClusterSpec | null,
  desired: ClusterSpec,
  hasRedis: boolean,
): RedisPlan {
  const external = desired.redis.external;
  const previous = current?.name === desired.name ? current.redis : null;
  if (external) {
    // No container of ours: one there goes; a changed external Redis recreates the pools.
    if (hasRedis) return { action: 'remove', changes: [], external: external.url };
    const same = JSON.stringify(previous?.external ?? null) === JSON.stringify(external);
    return {
      action: same ? 'keep' : 'replace',
      changes: same ? [] : [`external ${previous?.external?.url ?? 'none'} → ${external.url}`],
      external: external.url,
    };
  }
  if (!hasRedis) return { action: 'create', changes: [] };
  const before = previous;
  if (!before) return { action: 'keep', changes: [] };
  const shown = (value: unknown) =>
    value !== null && typeof value === 'object' ? (value as { url: string }).url : String(value);
  const changes = (Object.keys(desired.redis) as (keyof typeof desired.redis)[])
    .filter((key) => JSON.stringify(before[key]) !== JSON.stringify(desired.redis[key]))
    .map((key) => `${key} ${shown(before[key])} → ${shown(desired.redis[key])}`);
  return { action: changes.length ? 'replace' : 'keep', changes };
}

export function planApply(input: ApplyPlanInput): ApplyPlan {
  const { desired } = input;
  const byPool = new Map<string, Map<number, ObservedContainerName>>();
  for (const container of input.containers) {
    const parsed = parseContainerName(desired.name, container.name);
    if (!parsed) continue;
    const slots = byPool.get(parsed.pool) ?? new Map<number, ObservedContainerName>();
    slots.set(parsed.number, container);
    byPool.set(parsed.pool, slots);
  }
  const before = specPools(input.current?.name === desired.name ? input.current : null);
  const after = specPools(desired);
  const redis = redisPlan(input.current, desired, byPool.has('redis'));

  const pools: PoolPlan[] = [];
  for (const pool of clusterPools(desired)) {
    const slots = byPool.get(pool.name) ?? new Map<number, ObservedContainerName>();
    const image = input.images[pool.name] ?? { ref: null, build: false };
    const reshaped = before.get(pool.name)?.shape !== after.get(pool.name)?.shape;
    const plan: PoolPlan = {
      pool: pool.name,
      kind: pool.kind,
      replicas: pool.spec.replicas,
      image,
      create: [],
      replace: [],
      remove: [],
      keep: 0,
    };
    for (let n = 1; n <= pool.spec.replicas; n++) {
      const existing = slots.get(n);
      const name = `${desired.name}-${pool.name}-${n}`;
      if (!existing) plan.create.push(name);
      else if (reshaped || (image.ref !== null && existing.image !== image.ref))
        plan.replace.push(name);
      else plan.keep++;
    }
    for (const [n, container] of [...slots].sort(([a], [b]) => a - b))
      if (n > pool.spec.replicas || n < 1) plan.remove.push(container.name);
    pools.push(plan);
  }
  const wanted = new Set([...after.keys(), 'redis']);
  for (const [pool, slots] of [...byPool].sort(([a], [b]) => a.localeCompare(b))) {
    if (wanted.has(pool)) continue;
    pools.push({
      pool,
      kind: 'removed',
      replicas: 0,
      image: null,
      create: [],
      replace: [],
      remove: [...slots].sort(([a], [b]) => a - b).map(([, c]) => c.name),
      keep: 0,
    });
  }
  const changes =
    redis.action !== 'keep' ||
    pools.some(
      (p) =>
        p.create.length ||
        p.replace.length ||
        p.remove.length ||
        p.image?.build === true ||
        p.image?.pull === true,
    ) ||
    JSON.stringify(input.current) !== JSON.stringify(desired);
  return { cluster: desired.name, redis, pools, queueLimits: queueLimitsPlan(input), changes };
}

function queueLimitsPlan(input: ApplyPlanInput): QueueLimitsPlan[] {
  const before = input.current?.queues ?? {};
  const after = input.desired.queues;
  const names = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
  return names
    .filter((queue) => JSON.stringify(before[queue]) !== JSON.stringify(after[queue]))
    .map((queue) => ({
      queue,
      concurrency: after[queue]?.concurrency ?? null,
      rateLimit: after[queue]?.rateLimit ?? null,
    }));
}
