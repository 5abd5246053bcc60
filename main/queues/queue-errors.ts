/**
 * Maps what Redis, ioredis and BullMQ throw into GuildhallErrors with a fix hint. The Redis
 * password is redacted from every message we build, whatever the library put in it.
 */
import { isRedisAuthError } from '@shared/redis-auth';
import { GuildhallError, type ErrorCode } from '../util/errors';
import { redact } from '../util/redact';

export interface RedisEndpoint {
  host: string;
  port: number;
  password?: string | undefined;
  /** An external Redis (spec.redis.external): the hints name its settings, not `up`. */
  external?: boolean | undefined;
}

const UNREACHABLE =
  /ECONNREFUSED|ECONNRESET|ETIMEDOUT|EHOSTUNREACH|ENOTFOUND|EAI_AGAIN|EPIPE|Connection is closed|max retries per request|Stream isn't writeable|connect ETIMEDOUT|LOADING/i;
const TIMEOUT = /Command timed out/i;

export function isConnectionError(err: unknown): boolean {
  if (err instanceof GuildhallError)
    return err.code === 'redis-unavailable' || err.code === 'timeout';
  const message = err instanceof Error ? err.message : String(err);
  return UNREACHABLE.test(message) || isRedisAuthError(message) || TIMEOUT.test(message);
}

/**
 * `lastConnectionError` is the latest error ioredis reported on the connection: when a command
 * gives up after its retries, its own message ("max retries per request") hides the cause.
 */
export function toQueuesError(
  err: unknown,
  endpoint: RedisEndpoint,
  action: string,
  lastConnectionError?: string,
): GuildhallError {
  if (err instanceof GuildhallError) return err;
  let raw = err instanceof Error ? err.message : String(err);
  if (/max retries per request|Connection is closed/i.test(raw) && lastConnectionError)
    raw = lastConnectionError;
  const message = redact(raw, [endpoint.password]);
  const where = `${endpoint.host}:${endpoint.port}`;
  if (isRedisAuthError(message)) {
    return new GuildhallError(
      'redis-unavailable',
      `The cluster's Redis at ${where} refused Guildhall's password while trying to ${action}.`,
      endpoint.external
        ? 'Store the external Redis password with `guildhall secret set NAME` (the secret cluster.redis.external.passwordSecret names), or fix the user in its URL.'
        : 'The running Redis was started with another password. Restart the cluster (guildhall down, then guildhall up).',
    );
  }
  if (TIMEOUT.test(message)) {
    return new GuildhallError(
      'timeout',
      `Redis at ${where} did not answer in time while trying to ${action}.`,
      'Redis may be busy or out of memory; check it with "guildhall status" and try again.',
    );
  }
  if (UNREACHABLE.test(message)) {
    return new GuildhallError(
      'redis-unavailable',
      `Cannot reach the cluster's Redis at ${where} while trying to ${action} (${firstLine(message)}).`,
      endpoint.external
        ? 'Check that the external Redis runs and is reachable at that address; "guildhall doctor" tells more.'
        : 'Start the cluster with "guildhall up", or see what is wrong with "guildhall status".',
    );
  }
  return new GuildhallError(
    'internal' satisfies ErrorCode,
    `Could not ${action}: ${firstLine(message)}`,
    'This looks like a bug or an unexpected Redis state; run "guildhall doctor" and report it if it persists.',
  );
}

function firstLine(text: string): string {
  return (text.split('\n', 1)[0] ?? text).slice(0, 300);
}
