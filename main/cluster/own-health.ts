/**
 * Guildhall's own view of a container's health, which does not depend on the engine running
 * healthchecks: Podman without systemd never runs them ("unable to get systemd connection to add
 * healthchecks"), so its health stays "starting" for good. Redis is healthy when it answers an
 * authenticated PING on its published port; a worker when its heartbeat is in Redis (it writes
 * one every second over its own Redis connection, see worker-contract.ts). The engine's verdict
 * is kept where Guildhall has none, and where its check ran and failed.
 */
import type { Health } from './status';

/**
 * A worker running this long without a heartbeat is unhealthy: a worker is registered within a
 * few seconds of its start, and the heartbeat key outlives a missed write by seconds.
 */
export const WORKER_HEARTBEAT_GRACE_MS = 15_000;

/**
 * A running Redis that has not answered PING for this long is unhealthy: the engine's own
 * healthcheck gives up after 30 tries one second apart.
 */
export const REDIS_ANSWER_GRACE_MS = 30_000;

/**
 * Redis's health. `answers`: whether it answered PING just now (null: not asked, e.g. no stored
 * password); `runningForMs`: how long the container has been running.
 */
export function redisHealth(engine: Health, answers: boolean | null, runningForMs: number): Health {
  if (engine === 'healthy' || engine === 'unhealthy' || answers === null) return engine;
  if (answers) return 'healthy';
  return runningForMs > REDIS_ANSWER_GRACE_MS ? 'unhealthy' : 'starting';
}

/**
 * A running worker's health. `heartbeat`: whether its heartbeat is in Redis (null: Redis could
 * not be read, so only the engine can say). A missing heartbeat after the grace period is
 * unhealthy whatever the engine says: the engine's check runs every 10 s in a new process, the
 * heartbeat comes from the worker program itself.
 */
export function workerHealth(
  engine: Health,
  heartbeat: boolean | null,
  runningForMs: number,
): Health {
  if (heartbeat === null) return engine;
  if (!heartbeat) {
    if (runningForMs > WORKER_HEARTBEAT_GRACE_MS) return 'unhealthy';
    return engine === 'none' ? 'starting' : engine;
  }
  return engine === 'unhealthy' ? 'unhealthy' : 'healthy';
}
