/**
 * How long the supervisor waits before it restarts a crash-looping container again: doubling
 * from `baseMs` after each failed try, never more than `capMs`. Pure, so the schedule is
 * unit-tested; the heal duty (heal.ts) keeps each container's count of failed tries.
 */

export interface BackoffSchedule {
  /** Wait after the first crash loop is seen. */
  baseMs: number;
  /** The longest wait between two tries. */
  capMs: number;
}

/**
 * The default: 10 s, 20 s, 40 s … up to 5 minutes, so a crash-looping container is started at
 * most a handful of times in its first minute and about once every 5 minutes after that.
 */
export const DEFAULT_BACKOFF: BackoffSchedule = { baseMs: 10_000, capMs: 5 * 60_000 };

/** The wait before try number `failures + 1`, after `failures` (≥ 1) failed runs in a row. */
export function backoffDelay(
  failures: number,
  schedule: BackoffSchedule = DEFAULT_BACKOFF,
): number {
  const steps = Math.max(0, Math.floor(failures) - 1);
  // 2^steps overflows nothing below the cap: stop doubling once the cap is reached.
  let delay = schedule.baseMs;
  for (let i = 0; i < steps && delay < schedule.capMs; i++) delay *= 2;
  return Math.min(delay, schedule.capMs);
}

/** Seconds, rounded, for reasons and events ("next try in 20 s"). */
export function seconds(ms: number): number {
  return Math.round(ms / 1000);
}
