/**
 * The queues' global limits as the cluster spec records them (`spec.queues`), kept equal to what
 * Redis holds, one rule for every face: `apply` puts the file's limits in Redis and lifts those
 * of queues the file no longer names; a change through `guildhall limits` or the console is
 * recorded in the spec as well, so `guildhall spec` prints the limits in force and applying
 * that file changes nothing.
 */
import type { ClusterSpec, QueueLimitsSpec } from '../settings/cluster-spec';
import type { SettingsStore } from '../settings/settings-store';
import type { JobControls, QueueLimits } from './job-controls';

const NO_LIMITS: QueueLimitsSpec = { concurrency: null, rateLimit: null };

/** Puts `desired` in Redis; queues only `previous` named get their limits lifted. */
export async function putSpecLimits(
  controls: JobControls,
  previous: ClusterSpec['queues'],
  desired: ClusterSpec['queues'],
): Promise<QueueLimits[]> {
  const names = new Set([...Object.keys(previous), ...Object.keys(desired)]);
  const out: QueueLimits[] = [];
  for (const queue of [...names].sort())
    out.push(await controls.putLimits({ queue, ...(desired[queue] ?? NO_LIMITS) }));
  return out;
}

/** Records a queue's limits (as Redis now holds them) in the saved spec. */
export async function recordQueueLimits(
  settings: SettingsStore,
  limits: QueueLimits,
): Promise<void> {
  await settings.update((current) => {
    const queues = { ...current.cluster.queues };
    if (limits.concurrency === null && limits.rateLimit === null) delete queues[limits.queue];
    else
      queues[limits.queue] = {
        concurrency: limits.concurrency,
        rateLimit: limits.rateLimit && { ...limits.rateLimit },
      };
    return { ...current, cluster: { ...current.cluster, queues } };
  });
}
