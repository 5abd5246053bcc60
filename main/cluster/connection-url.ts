/**
 * The Redis URL the user's own clients connect with, built in one place so the CLI's `connect`,
 * the wizard's Done step and the console show the same form. It names Redis's `default` user:
 * with an empty user (`redis://:PASSWORD@…`) Debian's redis-cli 7.0 sends `AUTH "" PASSWORD`,
 * which Redis refuses; `default:PASSWORD` works with redis-cli, ioredis, BullMQ, redis-py and
 * Celery alike.
 */

/** The host Redis is published on: the loopback interface only. */
export const REDIS_HOST = '127.0.0.1';

/** What stands for the password where it must not be shown. */
export const MASKED_PASSWORD = '••••••••';

/** The URL with the password (URL-encoded), or with it masked when `password` is null. */
export function redisConnectionUrl(port: number, password: string | null): string {
  const secret = password === null ? MASKED_PASSWORD : encodeURIComponent(password);
  return `redis://default:${secret}@${REDIS_HOST}:${port}`;
}
