/**
 * What the alert rules look at on one tick, read through the core: the cluster's status (the
 * tick's own), whether the engine answers, the queues' failure totals and oldest waiting job,
 * Redis's memory, free disk where the engine keeps its data, and image builds that failed (the
 * audit log records every build with its outcome). Each part is read on its own time bound; a
 * part that fails or runs late is null, and rules that need it judge nothing that tick.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { AUDIT_FILE, AuditLog, type AuditEntry } from '../audit';
import type { ClusterStatus } from '../cluster/status';
import type { Core } from '../core';
import { engineDiskPath } from '../engine/disk-path';
import { within } from '../metrics/bounded';
import type { QueuesService } from '../queues/queues-service';

/** How long one part of the facts may take before it counts as unread. */
export const FACT_TIMEOUT_MS = 5_000;

export interface QueueFact {
  name: string;
  /** Failed jobs so far: BullMQ's running total when it keeps metrics, else the failed set. */
  failed: number;
  completed: number | undefined;
  /** When the oldest waiting job became due (epoch ms); null when none waits. */
  oldestWaitingSince: number | null;
}

export interface BuildFailure {
  /** The audit target: the pool or images built. */
  target: string;
  action: string;
  at: number;
  message: string;
}

export interface AlertFacts {
  now: number;
  status: ClusterStatus;
  /** Null: the engine answered; otherwise why not. */
  engineError: string | null;
  queues: QueueFact[] | null;
  redisMemory: { usedBytes: number; maxBytes: number } | null;
  disk: { what: string; freeBytes: number } | null;
  /** Failed builds not followed by a successful one; null when the audit log was unreadable. */
  buildFailures: BuildFailure[] | null;
}

async function bounded<T>(read: () => Promise<T>): Promise<T | null> {
  const result = await within(read(), Date.now() + FACT_TIMEOUT_MS);
  return result.ok ? result.value : null;
}

async function queueFacts(queues: QueuesService): Promise<QueueFact[]> {
  const list = await queues.listQueues();
  return Promise.all(
    list.map(async (queue) => {
      const [metrics, waiting] = await Promise.all([
        queues.getMetrics({ queue: queue.name, minutes: 1 }).catch(() => null),
        queues
          .listJobs({ queue: queue.name, state: 'waiting', start: 0, count: 1, order: 'asc' })
          .catch(() => null),
      ]);
      const oldest = waiting?.jobs[0];
      const useTotals = metrics?.collected === true;
      return {
        name: queue.name,
        failed: useTotals ? metrics.failed.total : (queue.counts.failed ?? 0),
        completed: useTotals ? metrics.completed.total : undefined,
        oldestWaitingSince: oldest ? oldest.timestamp + (oldest.delay || 0) : null,
      };
    }),
  );
}

/** Image builds whose last outcome, per action and target, was a failed build. */
export function unresolvedBuildFailures(entries: readonly AuditEntry[]): BuildFailure[] {
  const latest = new Map<string, AuditEntry>();
  for (const entry of entries) {
    const key = `${entry.action} ${entry.target ?? ''}`;
    const seen = latest.get(key);
    if (!seen || Date.parse(seen.time) <= Date.parse(entry.time)) latest.set(key, entry);
  }
  return [...latest.values()]
    .filter((entry) => entry.outcome === 'error' && entry.error?.code === 'image-build-failed')
    .map((entry) => ({
      target: entry.target ?? entry.action,
      action: entry.action,
      at: Date.parse(entry.time),
      message: entry.error?.message ?? '',
    }));
}

/**
 * Reads the audit log only when it changed since the last read; builds that failed longer ago
 * than `maxAgeMs` are history, not an alert.
 */
export class BuildFailureReader {
  private seen: { mtimeMs: number; size: number } | null = null;
  private failures: BuildFailure[] = [];

  constructor(
    private readonly dir: string,
    private readonly maxAgeMs = 60 * 60_000,
  ) {}

  async read(now: number): Promise<BuildFailure[]> {
    const stat = await fs.stat(path.join(this.dir, AUDIT_FILE)).catch(() => null);
    if (!stat) return [];
    if (this.seen?.mtimeMs !== stat.mtimeMs || this.seen.size !== stat.size) {
      this.failures = unresolvedBuildFailures(await new AuditLog({ dir: this.dir }).read());
      this.seen = { mtimeMs: stat.mtimeMs, size: stat.size };
    }
    return this.failures.filter((failure) => now - failure.at < this.maxAgeMs);
  }
}

export interface AlertFactReaders {
  core: Core;
  queues: () => Promise<QueuesService>;
  builds: BuildFailureReader;
}

export async function readAlertFacts(
  readers: AlertFactReaders,
  status: ClusterStatus,
  now: number,
): Promise<AlertFacts> {
  const { core } = readers;
  const engine = await within(core.engine(), Date.now() + FACT_TIMEOUT_MS);
  const engineError = engine.ok
    ? null
    : engine.reason === 'timeout'
      ? `no answer within ${FACT_TIMEOUT_MS / 1000} s`
      : engine.error instanceof Error
        ? engine.error.message
        : String(engine.error);
  const redisUp = status.redis?.state === 'running';
  const [queues, redisMemory, disk, buildFailures] = await Promise.all([
    redisUp ? bounded(async () => queueFacts(await readers.queues())) : null,
    redisUp
      ? bounded(async () => {
          const health = await (await readers.queues()).redisHealth();
          return { usedBytes: health.usedMemoryBytes, maxBytes: health.maxMemoryBytes };
        })
      : null,
    bounded(async () => {
      const dataRoot = engine.ok
        ? (await (await core.cluster.containers()).engineFacts())?.DockerRootDir
        : undefined;
      const target = await engineDiskPath(engine.ok ? engine.value.endpoint : null, dataRoot);
      const stats = await fs.statfs(target.path);
      return { what: target.what, freeBytes: Number(stats.bavail) * Number(stats.bsize) };
    }),
    bounded(() => readers.builds.read(now)),
  ]);
  return { now, status, engineError, queues, redisMemory, disk, buildFailures };
}
