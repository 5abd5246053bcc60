/**
 * Checks an external Redis (spec.redis.external) the way `up` and the diagnostics both need:
 * reachable, the password accepted for the URL's ACL user, the server's certificate trusted for
 * `rediss://`, a version BullMQ runs on; and reads what the diagnostics warn about (eviction
 * policy, AOF). A failure is a GuildhallError ('redis-unavailable', details.reason) whose hint
 * says what to change, so `up` can stop before it creates anything.
 */
import { isRedisAuthError } from '@shared/redis-auth';
import type { ExternalRedisSpec } from '../settings/cluster-spec';
import { GuildhallError } from '../util/errors';
import { progress, type ProgressSink } from '../util/progress';
import { redact } from '../util/redact';
import {
  describeConnection,
  ioredisOptions,
  isLoopbackHost,
  type RedisConnection,
} from './redis-connection';
import { loadRedisClient } from './redis-probe';

/** BullMQ refuses older servers (its RedisConnection.minimumVersion). */
export const BULLMQ_MIN_REDIS = '5.0.0';
/** BullMQ warns below this one (its recommendedMinimumVersion). */
export const BULLMQ_RECOMMENDED_REDIS = '6.2.0';

export type ExternalRedisFailure = 'auth' | 'tls' | 'unreachable' | 'version' | 'config';

export interface ExternalRedisFacts {
  version: string;
  maxmemoryPolicy: string | null;
  aof: boolean | null;
}

/** Compares dotted versions: negative when a < b. */
export function compareVersions(a: string, b: string): number {
  const pa = a.split('.').map((n) => Number.parseInt(n, 10) || 0);
  const pb = b.split('.').map((n) => Number.parseInt(n, 10) || 0);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

const TLS_UNTRUSTED =
  /self[- ]signed|unable to (verify|get)|certificate|CERT_|DEPTH_ZERO|altnames|wrong version number|SSL routines|packet length too long/i;

function failure(reason: ExternalRedisFailure, message: string, hint: string): GuildhallError {
  return new GuildhallError('redis-unavailable', message, hint, { reason });
}

/** Turns what connecting to the external Redis threw into the error `up` and doctor report. */
export function externalRedisError(
  err: unknown,
  connection: RedisConnection,
  passwordSecret: string | null,
): GuildhallError {
  if (err instanceof GuildhallError) return err;
  const raw = redact((err as Error)?.message ?? String(err), [connection.password]);
  const where = describeConnection(connection);
  const user = connection.username ?? 'default';
  if (isRedisAuthError(raw)) {
    return failure(
      'auth',
      `The external Redis at ${where} refused the password of user "${user}"${
        passwordSecret ? ` (secret ${passwordSecret})` : ' (no passwordSecret is set)'
      }.`,
      passwordSecret
        ? `Store the right password with \`guildhall secret set ${passwordSecret}\`, or fix the ACL user in cluster.redis.external.url.`
        : 'Store the password with `guildhall secret set NAME` and set cluster.redis.external.passwordSecret to NAME.',
    );
  }
  if (connection.tls && TLS_UNTRUSTED.test(raw)) {
    return failure(
      'tls',
      `The external Redis at ${where} presented a certificate that is not trusted (${firstLine(raw)}).`,
      "Set cluster.redis.external.caFile to the PEM file of the CA that signed the server certificate, and make sure the certificate names the URL's host (SAN).",
    );
  }
  return failure(
    'unreachable',
    `Cannot reach the external Redis at ${where} (${firstLine(raw)}).`,
    `Check that Redis runs and that ${connection.host} is reachable from this machine and from containers (not 127.0.0.1: use an address on a network both reach).`,
  );
}

function firstLine(text: string): string {
  return text.split('\n')[0]?.trim() ?? text;
}

function infoField(info: string, field: string): string | null {
  const match = new RegExp(`^${field}:(.*)$`, 'm').exec(info);
  return match?.[1]?.trim() ?? null;
}

/**
 * Connects once, authenticates, reads INFO and the eviction policy. Throws the classified error;
 * a version BullMQ refuses is an error too.
 */
export async function inspectExternalRedis(
  connection: RedisConnection,
  passwordSecret: string | null,
  timeoutMs = 5_000,
): Promise<ExternalRedisFacts> {
  const { default: Redis } = await loadRedisClient();
  const client = new Redis({
    ...ioredisOptions(connection),
    lazyConnect: true,
    connectTimeout: timeoutMs,
    commandTimeout: timeoutMs,
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
    retryStrategy: () => null,
    connectionName: 'guildhall:check',
  });
  let lastError: unknown = null;
  client.on('error', (err: unknown) => (lastError ??= err));
  try {
    await client.connect();
    const info = await client.info();
    const version = infoField(info, 'redis_version') ?? '0';
    if (compareVersions(version, BULLMQ_MIN_REDIS) < 0) {
      throw failure(
        'version',
        `The external Redis at ${describeConnection(connection)} runs Redis ${version}; BullMQ needs ${BULLMQ_MIN_REDIS} or newer.`,
        `Upgrade that Redis to ${BULLMQ_RECOMMENDED_REDIS} or newer, or point cluster.redis.external at another one.`,
      );
    }
    const aof = infoField(info, 'aof_enabled');
    const policy = await client
      .config('GET', 'maxmemory-policy')
      .then((pair) => (Array.isArray(pair) ? String(pair[1] ?? '') : null))
      .catch(() => infoField(info, 'maxmemory_policy'));
    return { version, maxmemoryPolicy: policy, aof: aof === null ? null : aof === '1' };
  } catch (err) {
    // A TLS failure surfaces as the socket's error, and connect() rejects with a closed stream.
    const cause =
      lastError && !(err instanceof GuildhallError) && !isRedisAuthError(err) ? lastError : err;
    throw externalRedisError(cause, connection, passwordSecret);
  } finally {
    client.disconnect();
  }
}

/**
 * What `up` asks before it makes anything: an address the containers can reach (not loopback),
 * then one authenticated connection (inspectExternalRedis). Reports it as a `redis` step.
 */
export async function checkExternalForUp(
  redis: RedisConnection,
  external: ExternalRedisSpec | null,
  onProgress: ProgressSink,
): Promise<void> {
  const target = `external ${redis.host}:${redis.port}`;
  if (isLoopbackHost(redis.host)) {
    throw new GuildhallError(
      'settings-invalid',
      `cluster.redis.external.url names ${redis.host}, which inside the worker containers is the container itself, not this machine.`,
      "Use an address both this machine and the containers reach: a DNS name, or the engine's bridge gateway (e.g. 172.17.0.1) with Redis listening there.",
    );
  }
  progress(onProgress, 'redis', target, 'running', { message: 'checking' });
  try {
    const facts = await inspectExternalRedis(redis, external?.passwordSecret ?? null);
    progress(onProgress, 'redis', target, 'done', { message: `Redis ${facts.version}` });
  } catch (err) {
    progress(onProgress, 'redis', target, 'failed', { message: (err as Error).message });
    throw err;
  }
}
