/**
 * Runs a fix offered by a check, by id, with the core's services. Ids may carry a target:
 * `restart-worker:2`. Destructive fixes need their confirmation text typed exactly. Each fix is
 * one small file in this folder (its header says what it does); this table finds it by id.
 */
import type { Core } from '../../core';
import { GuildhallError } from '../../util/errors';
import { noProgress } from '../../util/progress';
import type { FixAction } from '../types';
import { buildWorkerImage } from './build-worker-image';
import { chooseFreePort } from './choose-free-port';
import { FACTORY_RESET_CONFIRM, factoryReset } from './factory-reset';
import type { Fix, FixOptions } from './fix';
import { loadImage } from './load-image';
import { pullImage } from './pull-image';
import { recreateRedis } from './recreate-redis';
import { recreateWorker } from './recreate-worker';
import { resetCluster, resetClusterWipe } from './reset-cluster';
import { restartCluster } from './restart-cluster';
import { restartWorker } from './restart-worker';
import { retry } from './retry';
import { startCluster } from './start-cluster';

export { FACTORY_RESET_CONFIRM };
export type { FixOptions };

export interface FixOutcome {
  fixId: string;
  /** What was done, for the user. */
  message: string;
}

const FIXES: ReadonlyMap<string, Fix> = new Map(
  [
    retry,
    chooseFreePort,
    startCluster,
    restartCluster,
    recreateRedis,
    restartWorker,
    recreateWorker,
    pullImage,
    buildWorkerImage,
    loadImage,
    resetCluster,
    resetClusterWipe,
    factoryReset,
  ].map((fix) => [fix.id, fix]),
);

/** Cluster-wide actions for the troubleshooting page, offered whatever the checks say. */
export function generalFixes(cluster: string): FixAction[] {
  return [
    { id: 'restart-cluster', label: 'Restart the cluster' },
    { id: 'reset-cluster', label: 'Reset the cluster (keeps Redis data)' },
    {
      id: 'reset-cluster-wipe',
      label: 'Reset the cluster and delete all Redis data',
      destructive: true,
      confirm: cluster,
    },
    {
      id: 'factory-reset',
      label: 'Reset all settings to defaults (keeps a backup)',
      destructive: true,
      confirm: FACTORY_RESET_CONFIRM,
    },
  ];
}

/** Runs one fix; throws a GuildhallError when the id is unknown or the fix fails. */
export async function runFix(
  core: Core,
  fixId: string,
  options: FixOptions = {},
): Promise<FixOutcome> {
  const onProgress = options.onProgress ?? noProgress;
  const [name, arg] = fixId.split(':', 2);
  const fix = FIXES.get(name ?? '');
  if (!fix) {
    throw new GuildhallError(
      'invalid-input',
      `Unknown fix "${fixId}".`,
      'Run `guildhall doctor` to see the fixes offered.',
    );
  }
  const { spec } = await core.cluster.spec();
  const up = () => core.cluster.up({ onProgress });
  const message = await fix.run({ core, fixId, arg, spec, options, onProgress, up });
  return { fixId, message };
}
