/**
 * The Redis URL the user's own clients connect with, built in one place so the CLI's `connect`,
 * the wizard's Done step and the console show the same form. It names Redis's `default` user:
 * with an empty user (`redis://:PASSWORD@…`) Debian's redis-cli 7.0 sends `AUTH "" PASSWORD`,
 * which Redis refuses; `default:PASSWORD` works with redis-cli, ioredis, BullMQ, redis-py and
 * Celery alike.
 */
import { REDIS_ALIAS, REDIS_CONTAINER_PORT } from '@shared/worker-contract';

/** The host Redis is published on: the loopback interface only. */
export const REDIS_HOST = '127.0.0.1';

/** What stands for the password where it must not be shown. */
export const MASKED_PASSWORD = '••••••••';

/** The URL with the password (URL-encoded), or with it masked when `password` is null. */
export function redisConnectionUrl(port: number, password: string | null): string {
  const secret = password === null ? MASKED_PASSWORD : encodeURIComponent(password);
  return `redis://default:${secret}@${REDIS_HOST}:${port}`;
}

/**
 * The URL the cluster's own containers use: Redis by its alias on the cluster network, database
 * 0. Written for custom pools into the run volume (REDIS_URL_FILE), never into their env unless
 * the pool asks for it.
 */
export function clusterRedisUrl(password: string): string {
  return `redis://default:${encodeURIComponent(password)}@${REDIS_ALIAS}:${REDIS_CONTAINER_PORT}/0`;
}
