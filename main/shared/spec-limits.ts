/**
 * The cluster spec's limits and name rules, in one place: the core's spec schema
 * (main/cluster/spec.ts) enforces them, and the settings form and the setup wizard check the
 * same values as the user types. Browser-safe: no imports.
 */

/** Most workers a cluster runs (the tray's "Add one" and `guildhall scale` stop here). */
export const MAX_WORKERS = 64;

/** Inclusive ranges of the spec's numeric fields. */
export const SPEC_LIMITS = {
  /** Workers; 0 is a valid cluster (Redis only), e.g. after `guildhall scale 0`. */
  replicas: { min: 0, max: MAX_WORKERS },
  concurrency: { min: 1, max: 1000 },
  /** CPUs per worker (fractions allowed); 0 = no limit. */
  cpus: { min: 0, max: 256 },
  /** Memory per worker in MiB; 0 = no limit. */
  memoryMb: { min: 0, max: 1_048_576 },
  redisPort: { min: 1, max: 65_535 },
  /** Memory of the Redis container in MiB; 0 = no limit. */
  redisMemoryMb: { min: 0, max: 1_048_576 },
  stopTimeoutSeconds: { min: 1, max: 3600 },
  /** Autoscale's target of waiting jobs per worker. */
  backlogPerWorker: { min: 1, max: 1_000_000 },
  /** Autoscale's quiet time after a change before the next scale-down. */
  cooldownSeconds: { min: 0, max: 86_400 },
  /** Failed health checks in a row before the supervisor restarts a container. */
  unhealthyChecks: { min: 1, max: 100 },
  /** Host memory (MiB) kept free beyond a pool's memory per worker when scaling up. */
  memoryMarginMb: { min: 0, max: 1_048_576 },
  /** Host CPU use (%) from which scale-up waits. */
  cpuSaturatedPercent: { min: 10, max: 100 },
} as const;

/** Most jobs of one queue active at once across all workers (a queue's global concurrency). */
export const MAX_GLOBAL_CONCURRENCY = 10_000;
/** Longest window of a queue's rate limit: one day. */
export const MAX_RATE_DURATION_MS = 24 * 60 * 60 * 1000;
/** Most jobs per window of a queue's rate limit. */
export const MAX_RATE_JOBS = 1_000_000;

export type SpecLimitField = keyof typeof SPEC_LIMITS;

/**
 * Workers the setup wizard asks for at least: a first cluster runs a smoke-test job, which needs
 * a worker. Settings and `scale` allow SPEC_LIMITS.replicas.min (0) afterwards.
 */
export const SETUP_MIN_WORKERS = 1;

/** 1–40 lowercase letters, digits, "-" or "_", starting with a letter or digit. */
export const CLUSTER_NAME_PATTERN = /^[a-z0-9][a-z0-9_-]{0,39}$/;

/** A queue name a worker may be told to consume (and a job may be added to). */
export const QUEUE_NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/** A processors folder: absolute on Linux/macOS (/…, ~/…) or Windows (C:\…, \\server\…). */
export const FOLDER_PATTERN = /^(\/|~\/|[A-Za-z]:[\\/]|\\\\)/;

/**
 * A pool's name: it becomes part of container names (`<cluster>-<pool>-<n>`) and the compose
 * service label. `redis` is the broker's own service; `worker` is the built-in default pool.
 */
export const POOL_NAME_PATTERN = /^[a-z][a-z0-9-]{0,23}$/;

/** A Debian package name (Debian policy: lowercase, digits, + - .; at least two characters). */
export const PACKAGE_NAME_PATTERN = /^[a-z0-9][a-z0-9+.-]+$/;

/** A secret's name: as an env var name and a file name under /run/secrets. */
export const SECRET_NAME_PATTERN = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;

const REF_COMPONENT = '[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*';
const REF_DOMAIN_PART = '[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?';
/**
 * An image reference as the engine reads it: `[registry[:port]/]name[:tag][@digest]`, name in
 * lowercase path components (e.g. `my-celery:latest`, `ghcr.io/acme/worker:1.2@sha256:…`).
 */
export const IMAGE_REFERENCE_PATTERN = new RegExp(
  `^(?:${REF_DOMAIN_PART}(?:\\.${REF_DOMAIN_PART})*(?::[0-9]+)?/)?${REF_COMPONENT}(?:/${REF_COMPONENT})*` +
    `(?::[A-Za-z0-9_][A-Za-z0-9_.-]{0,127})?(?:@[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,})?$`,
);
