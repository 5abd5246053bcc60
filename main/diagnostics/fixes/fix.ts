/**
 * What one fix is (an id and a small function) and what it gets to work with. Each fix lives in
 * its own file in this folder; index.ts holds the table and runs them by id.
 */
import { parseShortName, shortName } from '../../cluster/naming';
import type { Core } from '../../core';
import { clusterPools, type ClusterSpec } from '../../settings/cluster-spec';
import { DEFAULT_POOL, type PoolSpec } from '../../settings/pool-spec';
import { GuildhallError } from '../../util/errors';
import type { ProgressSink } from '../../util/progress';

export interface FixOptions {
  /** Typed confirmation for destructive fixes. */
  confirm?: string;
  /** A file for `load-image`. */
  file?: string;
  onProgress?: ProgressSink;
}

export interface FixRun {
  core: Core;
  /** The whole fix id, e.g. `restart-worker:2`, and its target after the colon, e.g. `2`. */
  fixId: string;
  arg: string | undefined;
  /** The spec as it was when the fix started. */
  spec: ClusterSpec;
  options: FixOptions;
  onProgress: ProgressSink;
  /** `up` with this run's progress. */
  up(): Promise<unknown>;
}

export interface Fix {
  /** The id without a target. */
  id: string;
  /** Does the repair; returns what was done, for the user. */
  run(run: FixRun): Promise<string>;
}

/**
 * The container a `…-worker:TARGET` fix acts on: `N` is the default pool's container N (the ids
 * offered before pools), `<pool>-N` container N of that pool (`restart-worker:tools-2`).
 */
export function workerTarget(run: FixRun): {
  pool: string;
  number: number;
  spec: PoolSpec;
  short: string;
} {
  const arg = run.arg ?? '';
  const parsed = /^\d+$/.test(arg)
    ? { pool: DEFAULT_POOL, number: Number(arg) }
    : parseShortName(arg);
  if (!parsed || parsed.number < 1 || parsed.pool === 'redis') {
    const name = run.fixId.split(':')[0];
    throw new GuildhallError(
      'invalid-input',
      `Fix "${run.fixId}" needs a worker: a number for the default pool (${name}:1) or a pool's container (${name}:tools-1).`,
      'Run `guildhall doctor` to see the fixes offered.',
    );
  }
  const pools = clusterPools(run.spec);
  const pool = pools.find((p) => p.name === parsed.pool);
  if (!pool) {
    throw new GuildhallError(
      'not-found',
      `Cluster ${run.spec.name} has no pool "${parsed.pool}".`,
      `Its pools are: ${pools.map((p) => p.name).join(', ')}.`,
    );
  }
  return {
    pool: parsed.pool,
    number: parsed.number,
    spec: pool.spec,
    short: shortName(parsed.pool, parsed.number),
  };
}

export function requireConfirmation(run: FixRun, expected: string): void {
  if (run.options.confirm !== expected) {
    throw new GuildhallError(
      'invalid-input',
      `"${run.fixId}" deletes data or settings and needs confirmation.`,
      `Type "${expected}" to confirm (CLI: --confirm "${expected}").`,
    );
  }
}
