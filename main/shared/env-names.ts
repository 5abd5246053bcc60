/**
 * The rule for the env names a pool may set, in one place: the settings rules refuse them on
 * save (main/settings/settings-rules.ts) and the pools editor checks the same names as the user
 * types. Browser-safe: no imports.
 *
 * - A built-in pool: GUILDHALL_* is Guildhall's own (it sets the cluster, the queues, Redis and
 *   file paths there), and so are names that change how the worker program's Node.js process
 *   starts or loads code (NODE_OPTIONS, LD_PRELOAD, PATH…): a value there would run code in every
 *   worker before Guildhall's.
 * - A custom pool runs its own program, which may need those runtime names, and may read other
 *   GUILDHALL_* names of its own (an image built on Guildhall's worker reads GUILDHALL_QUEUES):
 *   only GUILDHALL_REDIS_*, which Guildhall sets there (where Redis is), is reserved.
 */

/** An environment variable's name. */
export const ENV_NAME_PATTERN = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Env names whose value changes how the worker's own Node.js process starts or loads code. */
export const RESERVED_ENV_NAMES: readonly string[] = [
  'NODE_OPTIONS',
  'NODE_PATH',
  'NODE_ICU_DATA',
  'NODE_REPL_EXTERNAL_MODULE',
  'NODE_CHANNEL_FD',
  'NODE_CHANNEL_SERIALIZATION_MODE',
  'NODE_UNIQUE_ID',
  'NODE_V8_COVERAGE',
  'NODE_TLS_REJECT_UNAUTHORIZED',
  'PATH',
];
/** Prefixes reserved the same way: the dynamic loader's. */
export const RESERVED_ENV_PREFIXES: readonly string[] = ['LD_', 'DYLD_'];
/** Guildhall's own prefix, reserved in built-in pools. */
export const GUILDHALL_ENV_PREFIX = 'GUILDHALL_';
/** What Guildhall sets in a custom pool's containers (where Redis is), reserved there. */
export const GUILDHALL_REDIS_ENV_PREFIX = 'GUILDHALL_REDIS_';

/**
 * Why a name is reserved: Guildhall's own, Guildhall's Redis names in a custom pool, or the worker
 * program's runtime; null when free.
 */
export type ReservedEnv = 'guildhall' | 'guildhall-redis' | 'runtime';

/** Whether a pool of this kind may not set `name`, and why (null: it may). */
export function reservedEnv(
  name: string,
  kind: 'builtin' | 'custom' = 'builtin',
): ReservedEnv | null {
  const upper = name.toUpperCase();
  if (kind === 'custom')
    return upper.startsWith(GUILDHALL_REDIS_ENV_PREFIX) ? 'guildhall-redis' : null;
  if (upper.startsWith(GUILDHALL_ENV_PREFIX)) return 'guildhall';
  if (
    RESERVED_ENV_NAMES.includes(upper) ||
    RESERVED_ENV_PREFIXES.some((prefix) => upper.startsWith(prefix))
  ) {
    return 'runtime';
  }
  return null;
}

/** The message for a reserved name, or null when a pool of this kind may set it. */
export function reservedEnvReason(
  name: string,
  kind: 'builtin' | 'custom' = 'builtin',
): string | null {
  switch (reservedEnv(name, kind)) {
    case 'guildhall':
      return `${name} is reserved: Guildhall sets GUILDHALL_* itself`;
    case 'guildhall-redis':
      return `${name} is reserved: Guildhall sets GUILDHALL_REDIS_* itself, to say where Redis is`;
    case 'runtime':
      return `${name} is reserved: it changes how the worker program itself runs (pass it per job in a shell job's env instead)`;
    default:
      return null;
  }
}
