/**
 * Jobs finished per second, from the workers' heartbeat counters read twice. One rule for the
 * console's live chart and the history the API keeps for it (main/api/throughput-history.ts).
 * Pure and browser-safe: no imports.
 */

/** Heartbeat counters of one worker. */
export interface WorkerCounts {
  name: string;
  processed: number;
  failed: number;
}

/** Counters of the workers that have a heartbeat, from a workers listing (queues.overview). */
export function workerCountsOf(
  workers: readonly {
    name: string;
    heartbeat: { processed: number; failed: number } | null;
  }[],
): WorkerCounts[] {
  return workers.flatMap((w) =>
    w.heartbeat
      ? [{ name: w.name, processed: w.heartbeat.processed, failed: w.heartbeat.failed }]
      : [],
  );
}

/**
 * Completed and failed jobs per second between two readings of the workers' heartbeat counters
 * (`processed` counts every finished job, `failed` the failed part). A counter that went down
 * means the worker restarted: its new value counts in full. Workers seen only once count nothing.
 */
export function throughputBetween(
  before: readonly WorkerCounts[],
  after: readonly WorkerCounts[],
  seconds: number,
): { completedPerSec: number; failedPerSec: number } {
  if (!(seconds > 0)) return { completedPerSec: 0, failedPerSec: 0 };
  const previous = new Map(before.map((w) => [w.name, w]));
  let processed = 0;
  let failed = 0;
  for (const worker of after) {
    const old = previous.get(worker.name);
    if (!old) continue;
    const restarted = worker.processed < old.processed || worker.failed < old.failed;
    processed += restarted ? worker.processed : worker.processed - old.processed;
    failed += restarted ? worker.failed : worker.failed - old.failed;
  }
  const completed = Math.max(0, processed - failed);
  return { completedPerSec: completed / seconds, failedPerSec: Math.max(0, failed) / seconds };
}
