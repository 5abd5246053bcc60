/**
 * The user's own secrets (API keys and the like) that pools name in `secrets`: kept in the secret
 * store beside the Redis passwords, under a key of their own, and given to a pool's containers as
 * files (cluster/pool-secrets.ts). Values go only into the store and those files: this module
 * hands out names, never values, except to `poolSecretValues`, which the cluster writes with.
 */
import { SECRET_NAME_PATTERN } from '@shared/spec-limits';
import { GuildhallError } from '../util/errors';
import { clusterPools, type ClusterSpec } from './cluster-spec';
import type { SecretStore } from './secret-store';

const PREFIX = 'user:';

/** The store's key of a user secret. */
export function userSecretKey(name: string): string {
  return `${PREFIX}${name}`;
}

/** The most a secret's value may hold (an API key, a token, a small key file). */
export const MAX_SECRET_BYTES = 64 * 1024;

/** A user secret's name and the pools that name it (a name may be stored and used by none). */
export interface UserSecretInfo {
  name: string;
  /** Whether the store holds a value for it. */
  stored: boolean;
  /** Pools of the spec naming it, in clusterPools order. */
  pools: string[];
}

export function assertSecretName(name: string): void {
  if (!SECRET_NAME_PATTERN.test(name)) {
    throw new GuildhallError(
      'invalid-input',
      `"${name}" is not a secret name: use letters, digits and "_", starting with a letter or "_" (up to 64).`,
      'Example: guildhall secret set ANTHROPIC_API_KEY',
    );
  }
}

/**
 * The fewest characters a value may have: shorter ones could not be told apart from ordinary
 * text, so logs and support bundles could not be scrubbed of them (util/redact.ts).
 */
export const MIN_SECRET_LENGTH = 4;

/** Refuses an empty or too short value, one over MAX_SECRET_BYTES and one with a NUL. */
export function assertSecretValue(name: string, value: string): void {
  if (value.trim() === '') {
    throw new GuildhallError(
      'invalid-input',
      `The value for secret ${name} is empty; nothing was stored.`,
      `Give the value on stdin: printf %s "$VALUE" | guildhall secret set ${name}`,
    );
  }
  if (value.trim().length < MIN_SECRET_LENGTH) {
    throw new GuildhallError(
      'invalid-input',
      `The value for secret ${name} is shorter than ${MIN_SECRET_LENGTH} characters; nothing was stored.`,
      'A value that short could not be kept out of logs: store the real value.',
    );
  }
  if (Buffer.byteLength(value, 'utf8') > MAX_SECRET_BYTES || value.includes('\0')) {
    throw new GuildhallError(
      'invalid-input',
      `The value for secret ${name} is too long or holds a NUL character (at most ${MAX_SECRET_BYTES / 1024} KiB of text).`,
      'Store a shorter text value.',
    );
  }
}

/** Names of the stored user secrets, sorted. */
export async function storedSecretNames(store: SecretStore): Promise<string[]> {
  return (await store.keys())
    .filter((key) => key.startsWith(PREFIX))
    .map((key) => key.slice(PREFIX.length))
    .sort();
}

/** Every stored user secret and every secret a pool names, with the pools naming each. */
export async function listUserSecrets(
  store: SecretStore,
  spec: ClusterSpec,
): Promise<UserSecretInfo[]> {
  const stored = new Set(await storedSecretNames(store));
  const usage = secretUsage(spec);
  const names = [...new Set([...stored, ...usage.keys()])].sort();
  return names.map((name) => ({ name, stored: stored.has(name), pools: usage.get(name) ?? [] }));
}

/** Secret name → the pools naming it. */
export function secretUsage(spec: ClusterSpec): Map<string, string[]> {
  const usage = new Map<string, string[]>();
  for (const pool of clusterPools(spec)) {
    for (const name of pool.spec.secrets) usage.set(name, [...(usage.get(name) ?? []), pool.name]);
  }
  return usage;
}

export async function setUserSecret(store: SecretStore, name: string, value: string) {
  assertSecretName(name);
  assertSecretValue(name, value);
  await store.set(userSecretKey(name), value);
}

/** Removes a stored secret; not-found when there is none of that name. */
export async function removeUserSecret(store: SecretStore, name: string): Promise<void> {
  assertSecretName(name);
  if (!(await store.remove(userSecretKey(name)))) {
    throw new GuildhallError(
      'not-found',
      `No secret named ${name} is stored.`,
      'See the stored names with: guildhall secret ls',
    );
  }
}

/** A pool naming a secret the store does not hold. */
export interface MissingSecret {
  pool: string;
  name: string;
}

/** Secrets named by pools of the spec that the store does not hold. */
export async function missingPoolSecrets(
  store: SecretStore,
  spec: ClusterSpec,
): Promise<MissingSecret[]> {
  const stored = new Set(await storedSecretNames(store));
  return clusterPools(spec).flatMap((pool) =>
    pool.spec.secrets
      .filter((name) => !stored.has(name))
      .map((name) => ({ pool: pool.name, name })),
  );
}

/** The error `up` fails with before changing anything, naming the secret and the fix. */
export function missingSecretError(missing: readonly MissingSecret[]): GuildhallError {
  const first = missing[0] ?? { pool: '?', name: '?' };
  const others = missing.length > 1 ? ` (and ${missing.length - 1} more)` : '';
  return new GuildhallError(
    'invalid-input',
    `Pool "${first.pool}" names the secret ${first.name}, which is not in Guildhall's secret store${others}.`,
    `Store it (the value is read from stdin): guildhall secret set ${first.name} — or remove it from the pool's secrets.`,
    { missing: missing.map((m) => `${m.pool}:${m.name}`) },
  );
}

/**
 * The values of the secrets one pool names, by name, for writing into its containers; throws
 * missingSecretError when one is not stored.
 */
export async function poolSecretValues(
  store: SecretStore,
  pool: { name: string; secrets: readonly string[] },
): Promise<Map<string, string>> {
  const values = new Map<string, string>();
  const missing: MissingSecret[] = [];
  for (const name of pool.secrets) {
    const value = await store.get(userSecretKey(name));
    if (value === null) missing.push({ pool: pool.name, name });
    else values.set(name, value);
  }
  if (missing.length > 0) throw missingSecretError(missing);
  return values;
}
