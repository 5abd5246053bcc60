/**
 * How the worker's Redis connections retry. A worker may start before Redis answers (containers
 * start together), so it retries often at first, then backs off. BullMQ's own default waits at
 * least a second between tries, which would keep a worker idle long after Redis came up.
 */
const FAST_TRIES = 40;
const FAST_DELAY_MS = 50;
const MAX_DELAY_MS = 10_000;

/** Delay before reconnect attempt `times` (1-based): 50 ms for two seconds, then 1 s steps. */
export function reconnectDelay(times: number): number {
  if (times <= FAST_TRIES) return FAST_DELAY_MS;
  return Math.min((times - FAST_TRIES) * 1_000, MAX_DELAY_MS);
}

/**
 * Errors that only mean Redis is not reachable yet (not started, its socket not created yet, its
 * name not registered).
 */
export function isUnreachable(message: string): boolean {
  return /ECONNREFUSED|ENOENT|ENOTFOUND|EAI_AGAIN|ETIMEDOUT|ECONNRESET|EHOSTUNREACH|ENETUNREACH|EPIPE|Connection is closed/i.test(
    message,
  );
}

/** How long not reaching Redis at start-up stays "waiting" before it is reported as a problem. */
export const UNREACHABLE_WARN_AFTER_MS = 30_000;
