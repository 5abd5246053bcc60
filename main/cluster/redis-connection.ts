/**
 * How the core reaches the cluster's Redis, decided in one place for queues, the monitor, status,
 * readiness, diagnostics and `connect`: either Guildhall's own Redis container (127.0.0.1, its
 * published port, Redis's `default` user, the stored password) or the external Redis of
 * `spec.redis.external` (host, port, ACL user and database from its URL, the password from the
 * secret store, TLS verified against the CA file for `rediss://`). Also what the cluster's own
 * containers are given for an external Redis: the full URL and the CA, as files.
 */
import { readFile } from 'node:fs/promises';
import type { ClusterSpec, ExternalRedisSpec } from '../settings/cluster-spec';
import type { SecretStore } from '../settings/secret-store';
import { ensureRedisPassword, redisPasswordKey } from '../settings/secret-store';
import { expandHome } from '../settings/settings-rules';
import { userSecretKey } from '../settings/user-secrets';
import { GuildhallError } from '../util/errors';
import { MASKED_PASSWORD, REDIS_HOST } from './connection-url';

/** ioredis connection options, and where they point (for messages). */
export interface RedisConnection {
  host: string;
  port: number;
  username?: string | undefined;
  password?: string | undefined;
  db?: number | undefined;
  /** Present for `rediss://`: the server is verified against `ca` (PEM). */
  tls?: { ca: string } | undefined;
  /** True for spec.redis.external, false for the cluster's own Redis container. */
  external: boolean;
}

/** An external Redis URL's parts (the password is never in it: see externalRedisSchema). */
export interface ExternalRedisAddress {
  tls: boolean;
  host: string;
  port: number;
  username: string | undefined;
  db: number;
}

/** Parses the URL of spec.redis.external; throws settings-invalid naming the field. */
export function parseExternalRedisUrl(url: string): ExternalRedisAddress {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw invalidUrl(url, 'it is not a URL');
  }
  if (parsed.protocol !== 'redis:' && parsed.protocol !== 'rediss:')
    throw invalidUrl(url, 'use redis:// or rediss://');
  if (parsed.password) throw invalidUrl(url, 'it must not hold a password');
  const host = parsed.hostname.replace(/^\[(.*)\]$/, '$1');
  if (!host) throw invalidUrl(url, 'it names no host');
  const path = parsed.pathname.replace(/^\//, '');
  const db = path === '' ? 0 : Number(path);
  if (!Number.isInteger(db) || db < 0 || db > 15)
    throw invalidUrl(url, 'its path must be a database number (0–15) or nothing');
  return {
    tls: parsed.protocol === 'rediss:',
    host,
    port: parsed.port ? Number(parsed.port) : 6379,
    username: parsed.username ? decodeURIComponent(parsed.username) : undefined,
    db,
  };
}

function invalidUrl(url: string, reason: string): GuildhallError {
  // A password typed into the URL is never echoed back.
  const shown = url.replace(/^(\w+:\/\/[^:@/]*):[^@/]*@/, '$1:••••••••@');
  return new GuildhallError(
    'settings-invalid',
    `cluster.redis.external.url "${shown}" cannot be used: ${reason}.`,
    'Write it as rediss://USER@HOST:PORT/DB (or redis://…); the password goes in the secret store.',
  );
}

/**
 * Whether containers cannot reach this host: their own loopback is not the machine's. The URL
 * must name an address the host and the cluster's bridge network both reach.
 */
export function isLoopbackHost(host: string): boolean {
  return /^(localhost|127\.\d+\.\d+\.\d+|::1|0\.0\.0\.0)$/i.test(host);
}

/** The external Redis's password from the secret store; undefined when none is named. */
/** The external Redis's password from the secret store; undefined when it names none. */
export async function externalPassword(
  secrets: SecretStore,
  external: ExternalRedisSpec,
): Promise<string | undefined> {
  if (external.passwordSecret === null) return undefined;
  const value = await secrets.get(userSecretKey(external.passwordSecret));
  if (value === null) {
    throw new GuildhallError(
      'not-found',
      `The secret "${external.passwordSecret}" named by cluster.redis.external.passwordSecret is not in the secret store.`,
      `Store the external Redis's password with \`guildhall secret set ${external.passwordSecret}\`.`,
    );
  }
  return value;
}

/** The CA file's PEM text; throws settings-invalid when it cannot be read. */
export async function readExternalCa(external: ExternalRedisSpec): Promise<string | null> {
  if (external.caFile === null) return null;
  const path = expandHome(external.caFile);
  try {
    const pem = await readFile(path, 'utf8');
    if (!pem.includes('-----BEGIN CERTIFICATE-----')) throw new Error('no PEM certificate in it');
    return pem;
  } catch (err) {
    const reason = (err as NodeJS.ErrnoException).code ?? (err as Error).message;
    throw new GuildhallError(
      'settings-invalid',
      `cluster.redis.external.caFile ${path} cannot be read as a PEM certificate (${reason}).`,
      'Point caFile at the PEM file of the certificate authority that signed the Redis server certificate.',
    );
  }
}

export interface ConnectionOptions {
  /** Make the cluster's own password when none is stored (default: no password without one). */
  ensurePassword?: boolean;
}

/**
 * The core's connection to the cluster's Redis. For the cluster's own Redis, `port` is where it
 * is published (status reads it from the container; default the spec's port).
 */
export async function coreRedisConnection(
  spec: ClusterSpec,
  secrets: SecretStore,
  options: ConnectionOptions & { port?: number } = {},
): Promise<RedisConnection> {
  const external = spec.redis.external;
  if (external) {
    const address = parseExternalRedisUrl(external.url);
    const [password, ca] = await Promise.all([
      externalPassword(secrets, external),
      address.tls ? readExternalCa(external) : Promise.resolve(null),
    ]);
    if (address.tls && ca === null) {
      throw new GuildhallError(
        'settings-invalid',
        'cluster.redis.external.url is rediss:// but cluster.redis.external.caFile is not set.',
        'Set caFile to the PEM file of the certificate authority that signed the Redis server certificate.',
      );
    }
    return {
      host: address.host,
      port: address.port,
      username: address.username,
      password,
      db: address.db,
      ...(address.tls && ca !== null ? { tls: { ca } } : {}),
      external: true,
    };
  }
  const password = options.ensurePassword
    ? await ensureRedisPassword(secrets, spec.name)
    : ((await secrets.get(redisPasswordKey(spec.name))) ?? undefined);
  return {
    host: REDIS_HOST,
    port: options.port ?? spec.redis.port,
    password,
    external: false,
  };
}

/** Where a connection points, for messages: `host:port`, with TLS said. */
export function describeConnection(connection: Pick<RedisConnection, 'host' | 'port' | 'tls'>) {
  return `${connection.host}:${connection.port}${connection.tls ? ' (TLS)' : ''}`;
}

/**
 * The URL a client connects with, password included (URL-encoded; MASKED_PASSWORD is shown as
 * it is), or without one when null.
 */
export function externalClientUrl(external: ExternalRedisSpec, password: string | null): string {
  const address = parseExternalRedisUrl(external.url);
  const user = encodeURIComponent(address.username ?? 'default');
  const secret =
    password === null
      ? ''
      : `:${password === MASKED_PASSWORD ? password : encodeURIComponent(password)}`;
  const host = address.host.includes(':') ? `[${address.host}]` : address.host;
  return `${address.tls ? 'rediss' : 'redis'}://${user}${secret}@${host}:${address.port}/${address.db}`;
}

/** What the cluster's containers get for an external Redis: the URL with the password, the CA. */
export interface ExternalRedisFiles {
  host: string;
  port: number;
  /** The full URL, password included: only ever written to a file in the run volume. */
  url: string;
  ca: string | null;
}

export function externalRedisFiles(
  spec: ClusterSpec,
  connection: RedisConnection,
): ExternalRedisFiles | null {
  const external = spec.redis.external;
  if (!external) return null;
  return {
    host: connection.host,
    port: connection.port,
    url: externalClientUrl(external, connection.password ?? null),
    ca: connection.tls?.ca ?? null,
  };
}

/** The ioredis options of a connection (anything that reaches Redis builds its client from these). */
export function ioredisOptions(connection: Omit<RedisConnection, 'external'>): {
  host: string;
  port: number;
  username?: string;
  password?: string;
  db?: number;
  tls?: { ca: string };
} {
  return {
    host: connection.host,
    port: connection.port,
    ...(connection.username !== undefined ? { username: connection.username } : {}),
    ...(connection.password !== undefined ? { password: connection.password } : {}),
    ...(connection.db ? { db: connection.db } : {}),
    ...(connection.tls ? { tls: { ca: connection.tls.ca } } : {}),
  };
}
