/**
 * Rolling restart after processor files change: worker N leaves only once worker N-1 is back
 * with the new code (its heartbeat shows a process started after the change), so the cluster
 * always has workers serving. Worker 1, and workers whose name has no number, leave at once.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Redis } from 'ioredis';
import { HEARTBEAT_TTL_MS, heartbeatKey } from '../../../main/shared/worker-contract';

/**
 * `<cluster>-<pool>-3` → `<cluster>-<pool>-2` (the previous container of the same pool); null
 * for container 1 and for names that are not `<cluster>-<pool>-<n>`.
 */
export function previousWorkerName(name: string, cluster: string, pool = 'worker'): string | null {
  const prefix = `${cluster}-${pool}-`;
  if (!name.startsWith(prefix)) return null;
  const rest = name.slice(prefix.length);
  if (!/^\d+$/.test(rest)) return null;
  const number = Number(rest);
  return number > 1 ? `${prefix}${number - 1}` : null;
}

/**
 * When the processors folder last changed: the newest modification time of the folder (adds and
 * removals) and its files (edits). Every worker sees the same value, however late it noticed, so
 * "a process started after this" reliably means "runs the new code".
 */
export function latestModification(dir: string): number {
  let latest: number;
  try {
    latest = fs.statSync(dir).mtimeMs;
    for (const entry of fs.readdirSync(dir)) {
      try {
        latest = Math.max(latest, fs.statSync(path.join(dir, entry)).mtimeMs);
      } catch {
        // removed meanwhile
      }
    }
  } catch {
    return Date.now();
  }
  return latest;
}

export interface WaitForPreviousOptions {
  redis: Pick<Redis, 'get'>;
  cluster: string;
  name: string;
  /** The worker's pool (default: the default pool, `worker`). */
  pool?: string;
  /** When the processor files changed (latestModification). */
  changedAt: number;
  /** Longest wait for one predecessor; a stuck roll must not keep old code forever. */
  timeoutMs?: number;
  pollMs?: number;
  signal?: AbortSignal;
}

export type WaitOutcome =
  'first' | 'previous-restarted' | 'previous-absent' | 'timeout' | 'aborted';

export async function waitForPreviousWorker(options: WaitForPreviousOptions): Promise<WaitOutcome> {
  const previous = previousWorkerName(options.name, options.cluster, options.pool);
  if (!previous) return 'first';
  const timeoutMs = options.timeoutMs ?? 60_000;
  const pollMs = options.pollMs ?? 250;
  const started = Date.now();
  let lastSeen = started;
  while (Date.now() - started < timeoutMs) {
    if (options.signal?.aborted) return 'aborted';
    const raw = await options.redis.get(heartbeatKey(options.cluster, previous)).catch(() => null);
    if (raw) {
      lastSeen = Date.now();
      const startedAt = Number((JSON.parse(raw) as { startedAt?: unknown }).startedAt);
      if (startedAt > options.changedAt) return 'previous-restarted';
    } else if (Date.now() - lastSeen > HEARTBEAT_TTL_MS * 3) {
      // Scaled away or crashed for good: waiting longer would only delay the roll.
      return 'previous-absent';
    }
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
  return 'timeout';
}
