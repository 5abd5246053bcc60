/**
 * Records a planned reload before the worker exits to load changed processor files, so the core
 * counts the engine's restart that follows as a reload, not a crash (see reloadsKey in the worker
 * contract). Best effort and bounded in time: with Redis unreachable the exit goes ahead, and its
 * exit code (WORKER_EXIT_CODES.reload) still tells the engine's event log it was planned.
 */
import { setTimeout as delay } from 'node:timers/promises';
import type { Redis } from 'ioredis';
import {
  RELOAD_RECORD_LIMIT,
  RELOAD_RECORD_TTL_MS,
  reloadsKey,
} from '../../../main/shared/worker-contract';

const RECORD_WAIT_MS = 2_000;

/** True when the reload was recorded. */
export async function recordReload(
  redis: Pick<Redis, 'multi'>,
  cluster: string,
  workerName: string,
  at = Date.now(),
): Promise<boolean> {
  const key = reloadsKey(cluster, workerName);
  const write = redis
    .multi()
    .zadd(key, at, String(at))
    .zremrangebyrank(key, 0, -RELOAD_RECORD_LIMIT - 1)
    .pexpire(key, RELOAD_RECORD_TTL_MS)
    .exec()
    .then((results) => results !== null && results.every(([err]) => err === null))
    .catch(() => false);
  return Promise.race([write, delay(RECORD_WAIT_MS).then(() => false)]);
}
