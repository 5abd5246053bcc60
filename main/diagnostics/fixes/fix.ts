/**
 * What one fix is (an id and a small function) and what it gets to work with. Each fix lives in
 * its own file in this folder; index.ts holds the table and runs them by id.
 */
import type { Core } from '../../core';
import type { ClusterSpec } from '../../settings/cluster-spec';
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

/** The worker number of a `…-worker:N` fix. */
export function workerNumber(run: FixRun): number {
  const n = Number(run.arg);
  if (!run.arg || !Number.isInteger(n) || n < 1) {
    throw new GuildhallError(
      'invalid-input',
      `Fix "${run.fixId}" needs a worker number, e.g. ${run.fixId.split(':')[0]}:1.`,
    );
  }
  return n;
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
