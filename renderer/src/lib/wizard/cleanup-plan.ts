/**
 * Cancelling after provisioning started: what this run created (the cluster as it is now, minus
 * what existed before the run), and whether "Remove what was created" may delete the data
 * volume — only when this run created it. A cluster that existed before the wizard is never
 * removed from here. Pure.
 */
import type { ApiClusterStatus } from '../api/client';

export interface Leftovers {
  containers: string[];
  network: boolean;
  volume: boolean;
}

export interface CleanupPlan {
  /** What is there now that was not there before this run. */
  created: Leftovers;
  /** The cluster had containers before the wizard ran: removing is not offered. */
  existedBefore: boolean;
  /** cluster.down may run (something was, or is being, created and nothing existed before). */
  canRemove: boolean;
  /** Pass `volumes: true` to cluster.down: no volume existed before, so any volume is this run's. */
  removeVolume: boolean;
}

function containerNames(status: ApiClusterStatus | null): string[] {
  if (!status) return [];
  return [...(status.redis ? [status.redis.name] : []), ...status.workers.map((w) => w.name)];
}

/** `stillRunning`: provisioning has not ended, so more may yet be created. */
export function cleanupPlan(
  before: ApiClusterStatus | null,
  now: ApiClusterStatus | null,
  stillRunning = false,
): CleanupPlan {
  const had = new Set(containerNames(before));
  const created: Leftovers = {
    containers: containerNames(now).filter((name) => !had.has(name)),
    network: Boolean(now?.network && !before?.network),
    volume: Boolean(now?.volume && !before?.volume),
  };
  const existedBefore = had.size > 0;
  const anything = created.containers.length > 0 || created.network || created.volume;
  return {
    created,
    existedBefore,
    // Without a picture of "before", nothing is removed: it might not be this run's.
    canRemove: before !== null && (anything || stillRunning) && !existedBefore,
    removeVolume: before !== null && !before.volume,
  };
}

export function nothingLeft(plan: CleanupPlan): boolean {
  const { containers, network, volume } = plan.created;
  return containers.length === 0 && !network && !volume;
}
