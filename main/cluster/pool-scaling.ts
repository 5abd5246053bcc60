/**
 * Scaling a pool, as every face asks for it: the pool must exist, the count be 0–64, and all
 * pools together stay within 64 containers. The change is a function of the spec, applied by `up`
 * and saved only once the cluster runs it; only the named pool's count changes.
 */
import { MAX_WORKERS } from '@shared/spec-limits';
import { clusterPools, totalReplicas, type ClusterSpec } from '../settings/cluster-spec';
import { DEFAULT_POOL } from '../settings/pool-spec';
import { GuildhallError } from '../util/errors';

export function assertWorkerCount(n: number, pool = DEFAULT_POOL): void {
  if (!Number.isInteger(n) || n < 0 || n > MAX_WORKERS) {
    throw new GuildhallError(
      'invalid-input',
      `Worker count must be a whole number from 0 to ${MAX_WORKERS} (got ${n}).`,
      pool === DEFAULT_POOL ? 'Example: guildhall scale 4' : `Example: guildhall scale ${pool} 4`,
    );
  }
}

/** Throws not-found, naming the cluster's pools, when `pool` is not one of them. */
export function assertPool(spec: ClusterSpec, pool: string): void {
  const names = clusterPools(spec).map((p) => p.name);
  if (names.includes(pool)) return;
  throw new GuildhallError(
    'not-found',
    `Cluster ${spec.name} has no pool "${pool}".`,
    `Its pools: ${names.join(', ')}. Add a pool to the cluster spec first.`,
  );
}

/** Throws when all pools of `spec` together want more than MAX_WORKERS containers. */
export function assertTotalWithinLimit(spec: ClusterSpec): void {
  const total = totalReplicas(spec);
  if (total <= MAX_WORKERS) return;
  const counts = clusterPools(spec)
    .map((p) => `${p.name} ${p.spec.replicas}`)
    .join(', ');
  throw new GuildhallError(
    'invalid-input',
    `At most ${MAX_WORKERS} containers in all pools together; this asks for ${total} (${counts}).`,
    'Scale another pool down first, or ask for fewer.',
  );
}

/** The spec with pool `pool` at `replicas` containers (the default pool is `workers`). */
export function withPoolReplicas(spec: ClusterSpec, pool: string, replicas: number): ClusterSpec {
  if (pool === DEFAULT_POOL) return { ...spec, workers: { ...spec.workers, replicas } };
  const current = spec.pools[pool];
  if (!current) return spec;
  return { ...spec, pools: { ...spec.pools, [pool]: { ...current, replicas } } };
}
