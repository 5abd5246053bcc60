/**
 * One row per worker container for the workers page, joining three sources: the engine's view
 * (state, health, restarts and planned reloads, exit code — from the cluster status, which
 * actions and the status events keep current and which alone tells reloads from crashes; the
 * 1 s metrics tick adds the last exit code of a running container), the worker's heartbeat (current jobs, processed, failed,
 * average duration) and the container's stats (CPU, memory). Pure, for testing.
 */
import { isPlannedWorkerExit } from '@shared/worker-contract';
import type { ApiClusterStatus } from '../api/client';
import type { ContainerSample } from '../metrics/metrics-tick';
import type { CrashLoop } from '../metrics/metrics-model';
import type { WorkerView } from '../metrics/overview-store.svelte';

export type Heartbeat = NonNullable<WorkerView['heartbeat']>;

export interface WorkerRow {
  /** Container name, e.g. guildhall-worker-2 (also the BullMQ worker name). */
  name: string;
  /** Its pool (`worker`, the default pool, or another). */
  pool: string;
  number: number;
  /** The log target: POOL-N (worker-2, tools-1). */
  target: string;
  state: string;
  health: ApiClusterStatus['workers'][number]['health'];
  /** Restarts after crashes. */
  restarts: number;
  /** Planned reloads: exits to load changed processor files. */
  reloads: number;
  /** Epoch ms the container started, while running. */
  startedAt: number | null;
  exitCode: number | null;
  oomKilled: boolean;
  crashLoop: CrashLoop | null;
  heartbeat: Heartbeat | null;
  cpuPercent: number | null;
  memoryBytes: number | null;
  memoryLimitBytes: number | null;
}

export function workerRows(
  status: ApiClusterStatus | null,
  workers: readonly WorkerView[],
  containers: ReadonlyMap<string, ContainerSample>,
  crashLoops: ReadonlyMap<string, CrashLoop>,
): WorkerRow[] {
  if (!status) return [];
  const heartbeats = new Map(workers.map((w) => [w.name, w.heartbeat]));
  // Pool by pool (the status lists them in order), numbers ascending within each.
  const poolOrder = [...new Set(status.workers.map((w) => w.pool))];
  return [...status.workers]
    .sort((a, b) => poolOrder.indexOf(a.pool) - poolOrder.indexOf(b.pool) || a.number - b.number)
    .map((worker) => {
      const sample = containers.get(worker.name);
      const live = sample && sample.id === worker.id ? sample : undefined;
      const state = worker.state;
      const running = state === 'running';
      const started = worker.startedAt ? Date.parse(worker.startedAt) : NaN;
      return {
        name: worker.name,
        pool: worker.pool,
        number: worker.number,
        target: `${worker.pool}-${worker.number}`,
        state,
        health: worker.health,
        restarts: worker.restartCount,
        reloads: worker.reloads,
        startedAt: running && Number.isFinite(started) ? started : null,
        exitCode: worker.exitCode ?? live?.exitCode ?? null,
        oomKilled: live?.oomKilled ?? worker.oomKilled,
        crashLoop: crashLoops.get(worker.name) ?? null,
        heartbeat: running ? (heartbeats.get(worker.name) ?? null) : null,
        cpuPercent: running ? (live?.cpuPercent ?? null) : null,
        memoryBytes: running ? (live?.memoryBytes ?? null) : null,
        memoryLimitBytes: live?.memoryLimitBytes ?? null,
      };
    });
}

/** A worker that keeps crashing, or is waiting to be restarted after a crash (not a reload). */
export function isCrashLooping(row: WorkerRow): boolean {
  if (row.crashLoop !== null) return true;
  return (
    row.state === 'restarting' && !(row.exitCode !== null && isPlannedWorkerExit(row.exitCode))
  );
}

export type PoolStatus = ApiClusterStatus['pools'][number];

export interface PoolGroup {
  pool: PoolStatus;
  rows: WorkerRow[];
  /** Most containers this pool may have: the cluster limit less the other pools' counts. */
  max: number;
}

/**
 * The rows grouped by pool, in the status's pool order. A container of a pool the status does
 * not list (removed from the spec, not yet scaled away) gets a group of its own, so no row is lost.
 */
export function poolGroups(
  pools: readonly PoolStatus[],
  rows: readonly WorkerRow[],
  limit: number,
): PoolGroup[] {
  const listed = [...pools];
  for (const row of rows) {
    if (listed.some((p) => p.name === row.pool)) continue;
    const orphans = rows.filter((r) => r.pool === row.pool);
    listed.push({
      name: row.pool,
      kind: 'custom',
      image: null,
      desired: 0,
      containers: orphans.length,
      running: orphans.filter((r) => r.state === 'running').length,
    });
  }
  const total = listed.reduce((sum, p) => sum + p.desired, 0);
  return listed.map((pool) => ({
    pool,
    rows: rows.filter((r) => r.pool === pool.name),
    max: Math.max(0, limit - (total - pool.desired)),
  }));
}
