/**
 * The contract between the core and the worker program inside each worker container: the
 * environment the core sets, the files it writes before start, and the heartbeat the worker
 * publishes. Both sides import this file (the worker bundle includes it), so they cannot drift.
 */
import { z } from 'zod';

/** Environment variables the core sets on every worker container. */
export const WORKER_ENV = {
  cluster: 'GUILDHALL_CLUSTER',
  workerName: 'GUILDHALL_WORKER_NAME',
  /** The worker's pool; unset in the default pool (`worker`), whose env predates pools. */
  pool: 'GUILDHALL_POOL',
  /** Path of Redis's unix socket; when set, the worker connects there instead of host:port. */
  redisSocket: 'GUILDHALL_REDIS_SOCKET',
  redisHost: 'GUILDHALL_REDIS_HOST',
  redisPort: 'GUILDHALL_REDIS_PORT',
  /** Path of a file holding the Redis password; the password itself is never in the env. */
  redisPasswordFile: 'GUILDHALL_REDIS_PASSWORD_FILE',
  /**
   * Path of a file holding the full Redis URL (`redis://` or `rediss://`, ACL user and password
   * in it); set for an external Redis, and then used instead of the four above.
   */
  redisUrlFile: 'GUILDHALL_REDIS_URL_FILE',
  /** Path of the PEM CA file a `rediss://` URL's server is verified against. */
  redisCaFile: 'GUILDHALL_REDIS_CA_FILE',
  /**
   * Comma-separated queues to consume, each `queue` (served by the built-in processor or
   * processor file of that name) or `queue=processor` (served by the one named); empty means
   * every built-in queue and every processor file. See queueEntry.
   */
  queues: 'GUILDHALL_QUEUES',
  concurrency: 'GUILDHALL_CONCURRENCY',
  /** Mount point of the user's processors folder, when one is configured. */
  processorsDir: 'GUILDHALL_PROCESSORS_DIR',
  /** Milliseconds a worker may spend finishing active jobs after SIGTERM. */
  shutdownGraceMs: 'GUILDHALL_SHUTDOWN_GRACE_MS',
  /** "1": http jobs may reach private and loopback addresses (link-local never). */
  allowPrivateNetworks: 'GUILDHALL_ALLOW_PRIVATE_NETWORKS',
  /**
   * Folder of the pool's secret files (one file per secret, named as it); set only on a pool
   * naming secrets. The worker gives each to shell jobs and processor files as an env var.
   */
  secretsDir: 'GUILDHALL_SECRETS_DIR',
  /**
   * "1": the pool does not run the shell processor (pool spec `shell: false`): with no queues
   * named it serves every built-in but shell; naming shell is a configuration error.
   */
  shellOff: 'GUILDHALL_SHELL_OFF',
} as const;

/** The built-in processor that runs commands: opt-in per pool (`shell: true`). */
export const SHELL_PROCESSOR = 'shell';

/** A queue a built-in pool serves: by the processor of its own name, or by the one named. */
export type QueueBindingEntry = string | { name: string; processor: string };

/** A binding as one GUILDHALL_QUEUES entry: `queue`, or `queue=processor`. */
export function queueEntry(binding: QueueBindingEntry): string {
  if (typeof binding === 'string') return binding;
  return binding.name === binding.processor ? binding.name : `${binding.name}=${binding.processor}`;
}

/** One GUILDHALL_QUEUES entry read back: the queue, and the processor that serves it. */
export function parseQueueEntry(entry: string): { queue: string; processor: string } {
  const at = entry.indexOf('=');
  if (at < 0) return { queue: entry, processor: entry };
  return { queue: entry.slice(0, at).trim(), processor: entry.slice(at + 1).trim() };
}

/**
 * Environment variables of a custom pool's containers (any image: Guildhall never talks to the
 * program inside). The password is only in the file GUILDHALL_REDIS_URL_FILE names (the full
 * `redis://default:PASSWORD@redis:6379/0` URL), unless the pool asks for it in an env var too.
 */
export const POOL_ENV = {
  redisHost: 'GUILDHALL_REDIS_HOST',
  redisPort: 'GUILDHALL_REDIS_PORT',
  redisUrlFile: 'GUILDHALL_REDIS_URL_FILE',
  /** For an external `rediss://` Redis: the PEM CA file to verify its certificate against. */
  redisCaFile: 'GUILDHALL_REDIS_CA_FILE',
} as const;

/**
 * The cluster's run volume, mounted here in Redis (read-write) and in every worker (read-only):
 * the core writes Redis's config and the password into it once, through the engine's archive API
 * before Redis starts, and Redis listens on a unix socket in it, which the workers connect to.
 */
export const RUN_DIR = '/run/guildhall';
export const REDIS_PASSWORD_FILE = `${RUN_DIR}/redis-password`;
export const REDIS_CONFIG_FILE = `${RUN_DIR}/redis.conf`;
/**
 * The full Redis URL, password included: the cluster's own Redis on the cluster network (for
 * custom pools), or the external Redis (for every pool).
 */
export const REDIS_URL_FILE = `${RUN_DIR}/redis-url`;
/** An external `rediss://` Redis's CA certificate (PEM), for every pool. */
export const REDIS_CA_FILE = `${RUN_DIR}/redis-ca.pem`;
/** In a folder of its own that anyone may create files in: Redis may run unprivileged. */
export const REDIS_SOCKET_DIR = `${RUN_DIR}/socket`;
export const REDIS_SOCKET = `${REDIS_SOCKET_DIR}/redis.sock`;
export const PROCESSORS_MOUNT = '/processors';
/**
 * Where a pool's secrets are, one read-only file per secret (`/run/secrets/NAME`): the pool's own
 * secrets volume, written by the core before the pool's containers start.
 */
export const SECRETS_DIR = '/run/secrets';

/** Network alias of the Redis container inside the cluster network (for the user's own code). */
export const REDIS_ALIAS = 'redis';
export const REDIS_CONTAINER_PORT = 6379;

/** UID:GID the worker program runs as (no root inside worker containers). */
export const WORKER_USER = '1000:1000';

/** The queues every worker consumes by default (named with their job-data rules). */
export { BUILTIN_QUEUES, type BuiltinQueue } from './job-data-rules';

/** Heartbeats: one key per worker, refreshed every HEARTBEAT_INTERVAL_MS, expiring after TTL. */
export const HEARTBEAT_INTERVAL_MS = 1_000;
export const HEARTBEAT_TTL_MS = 5_000;
export function heartbeatKey(cluster: string, workerName: string): string {
  return `guildhall:${cluster}:heartbeat:${workerName}`;
}
/** A set of worker names that have ever sent a heartbeat (members are pruned by readers). */
export function heartbeatIndexKey(cluster: string): string {
  return `guildhall:${cluster}:heartbeats`;
}

export const heartbeatSchema = z.object({
  name: z.string(),
  state: z.enum(['starting', 'idle', 'busy', 'stopping']),
  queues: z.array(z.string()),
  concurrency: z.number().int().positive(),
  activeJobs: z.array(z.object({ queue: z.string(), id: z.string() })),
  processed: z.number().int().nonnegative(),
  failed: z.number().int().nonnegative(),
  avgDurationMs: z.number().nonnegative(),
  lastError: z.string().nullable(),
  startedAt: z.number(),
  at: z.number(),
  pid: z.number().int(),
  version: z.string(),
});
export type Heartbeat = z.infer<typeof heartbeatSchema>;

/** Stalled-job tuning for a local cluster: a crashed worker's jobs come back within seconds. */
export const STALLED_INTERVAL_MS = 5_000;
export const LOCK_DURATION_MS = 10_000;
export const MAX_STALLED_COUNT = 2;

/** Version of this contract; worker images carry it in the WORKER_PROTOCOL_LABEL image label. */
export const WORKER_PROTOCOL_VERSION = '1';
export const WORKER_PROTOCOL_LABEL = 'io.guildhall.worker-protocol';

/** Where the worker program lives inside the worker image, and the healthcheck the core sets. */
export const WORKER_ENTRYPOINT = '/opt/guildhall/worker.cjs';
export const WORKER_HEALTHCHECK_COMMAND = ['node', WORKER_ENTRYPOINT, '--healthcheck'] as const;

/**
 * Exit codes of the worker program. `ok` is a graceful stop (SIGTERM/SIGINT); `reload`
 * (EX_TEMPFAIL) is a planned exit to load changed processor files, which the restart policy
 * follows with a start: not a crash; `badConfig` (EX_CONFIG) means the container's environment,
 * password file or processors folder is wrong: restarting the same container helps only once that
 * is mended (e.g. `guildhall up` rewrote the password file).
 */
export const WORKER_EXIT_CODES = { ok: 0, crashed: 1, reload: 75, badConfig: 78 } as const;

/** Whether a worker's exit code means it stopped on purpose (a stop or a reload), not a crash. */
export function isPlannedWorkerExit(exitCode: number): boolean {
  return exitCode === WORKER_EXIT_CODES.ok || exitCode === WORKER_EXIT_CODES.reload;
}

/**
 * Planned reloads: before a worker exits to load changed processor files it adds the time (epoch
 * ms, as score and member) to this sorted set, so the core can tell the engine's restarts of a
 * container apart: those after the container was created and recorded here were reloads, the
 * rest crashes. The set keeps the last RELOAD_RECORD_LIMIT entries and expires a week after the
 * last reload (a worker scaled away leaves nothing behind for long).
 */
export function reloadsKey(cluster: string, workerName: string): string {
  return `guildhall:${cluster}:reloads:${workerName}`;
}
export const RELOAD_RECORD_LIMIT = 1_000;
export const RELOAD_RECORD_TTL_MS = 7 * 24 * 60 * 60_000;
