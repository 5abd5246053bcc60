/**
 * How many attempts a job gets, as BullMQ counts them. A job added without `attempts` is stored
 * with `attempts: 0` and still runs once (BullMQ retries only while attemptsMade + 1 < attempts),
 * so its limit is 1, never 0. The queues core, `guildhall jobs` and the console show this.
 */

/** The attempt limit BullMQ applies for a job's `attempts` option. */
export function attemptLimit(attempts: number | null | undefined): number {
  return Math.max(1, Math.floor(attempts ?? 1));
}

/** "1/3": attempts made of the limit. */
export function attemptsText(attemptsMade: number, attempts: number | null | undefined): string {
  return `${attemptsMade}/${attemptLimit(attempts)}`;
}
