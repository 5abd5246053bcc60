/**
 * The cluster spec: what the user wants running. Validated with zod; every field has a default,
 * so a partial or older settings file still loads.
 */
import os from 'node:os';
import {
  CLUSTER_NAME_PATTERN,
  MAX_GLOBAL_CONCURRENCY,
  MAX_RATE_DURATION_MS,
  MAX_RATE_JOBS,
  MAX_WORKERS,
  PACKAGE_NAME_PATTERN,
  QUEUE_NAME_PATTERN,
  SPEC_LIMITS as L,
} from '@shared/spec-limits';
import { ENV_NAME_PATTERN } from '@shared/env-names';
import { z } from 'zod';
import { alertsSpecSchema } from './alerts-spec';
import {
  DEFAULT_POOL,
  INTERNAL_NEEDS_OWN_REDIS,
  mountSchema,
  poolNetworkSchema,
  poolKind,
  poolsSchema,
  autoscaleSchema,
  secretNameSchema,
  shellBindingProblem,
  type PoolKind,
  type PoolSpec,
} from './pool-spec';

export const DEFAULT_CLUSTER_NAME = 'guildhall';
export const DEFAULT_REDIS_IMAGE = 'redis:7.4-bookworm';
export const DEFAULT_WORKER_BASE_IMAGE = 'node:22-bookworm-slim';
export const DEFAULT_REDIS_PORT = 6379;
/** Redis's default memory limit: room for about a million small jobs. */
export const DEFAULT_REDIS_MEMORY_MB = 1024;

/** Default worker count: one per core, at most four. */
export function defaultReplicas(cores = os.availableParallelism()): number {
  return Math.max(1, Math.min(cores, 4));
}

/** Env names' syntax; reserved names are refused by the settings rules (settings-rules.ts). */
const envName = z.string().regex(ENV_NAME_PATTERN, 'must be a valid environment variable name');

export const clusterNameSchema = z
  .string()
  .regex(
    CLUSTER_NAME_PATTERN,
    'use 1–40 lowercase letters, digits, "-" or "_", starting with a letter or digit',
  );

/**
 * An existing Redis the cluster uses instead of provisioning its own (issue 18). The URL names
 * host, port and ACL user but never the password: that is the secret `passwordSecret` in
 * Guildhall's secret store. `rediss://` URLs verify the server against `caFile` (PEM, on the host).
 */
export const externalRedisSchema = z.strictObject({
  url: z
    .string()
    .regex(/^rediss?:\/\/[^\s]+$/, 'must be a redis:// or rediss:// URL')
    .refine((url) => !/^rediss?:\/\/[^@/]*:[^@/]*@/.test(url), {
      message:
        'must not hold a password: store it with `guildhall secret set NAME` and name it in passwordSecret',
    }),
  passwordSecret: secretNameSchema.nullable().default(null),
  caFile: z.string().min(1).nullable().default(null),
});
export type ExternalRedisSpec = z.infer<typeof externalRedisSchema>;

export const redisSpecSchema = z.object({
  /** null: Guildhall runs its own Redis container; otherwise every pool uses this one. */
  external: externalRedisSchema.nullable().default(null),
  image: z.string().min(1).default(DEFAULT_REDIS_IMAGE),
  port: z.number().int().min(L.redisPort.min).max(L.redisPort.max).default(DEFAULT_REDIS_PORT),
  persistence: z.enum(['everysec', 'always']).default('everysec'),
  /**
   * Memory limit of the Redis container in MiB (Redis's maxmemory is set below it); 0 = no limit.
   */
  memoryMb: z
    .number()
    .int()
    .min(L.redisMemoryMb.min)
    .max(L.redisMemoryMb.max)
    .default(DEFAULT_REDIS_MEMORY_MB),
});

export const workerSpecSchema = z.object({
  /** Base image the worker image is built on (the worker program is added on top). */
  baseImage: z.string().min(1).default(DEFAULT_WORKER_BASE_IMAGE),
  replicas: z.number().int().min(L.replicas.min).max(L.replicas.max).default(defaultReplicas()),
  concurrency: z.number().int().min(L.concurrency.min).max(L.concurrency.max).default(10),
  /** CPUs per worker (fractions allowed); 0 = no limit. */
  cpus: z.number().min(L.cpus.min).max(L.cpus.max).default(1),
  /** Memory limit per worker in MiB; 0 = no limit. */
  memoryMb: z.number().int().min(L.memoryMb.min).max(L.memoryMb.max).default(1024),
  env: z.record(envName, z.string().max(32_768)).default({}),
  /** Queues to consume; empty = every built-in queue and every processor file. */
  queues: z.array(z.string().regex(QUEUE_NAME_PATTERN)).max(100).default([]),
  /** Host folder with the user's processor files, mounted read-only. */
  processorsDir: z.string().min(1).nullable().default(null),
  /**
   * Whether the default pool's http jobs may reach private and loopback addresses (10/8,
   * 172.16/12, 192.168/16, fc00::/7, 127/8…); other built-in pools have their own. The cluster's
   * own network is reachable either way; link-local never.
   */
  allowPrivateNetworks: z.boolean().default(false),
  /** The network the default pool joins: `default` or `internal` (pool-spec.ts, POOL_NETWORKS). */
  network: poolNetworkSchema.default('default'),
  /** Seconds a worker gets to finish active jobs when stopped. */
  stopTimeoutSeconds: z
    .number()
    .int()
    .min(L.stopTimeoutSeconds.min)
    .max(L.stopTimeoutSeconds.max)
    .default(30),
  /**
   * Whether the default pool runs the `shell` processor. On for the default pool (a new
   * cluster's wizard says so), off by default for other pools (pool-spec.ts).
   */
  shell: z.boolean().default(true),
  /** Debian packages installed into the default pool's image (see pool-spec.ts). */
  packages: z
    .array(z.string().regex(PACKAGE_NAME_PATTERN, 'is not a Debian package name'))
    .max(100)
    .default([]),
  /** A Dockerfile built FROM the default pool's image (build arg BASE_IMAGE). */
  dockerfile: z.string().min(1).nullable().default(null),
  /** Names in Guildhall's secret store, given to the default pool as /run/secrets/NAME. */
  secrets: z.array(secretNameSchema).max(64).default([]),
  mounts: z.array(mountSchema).max(32).default([]),
  /** null: the default pool keeps `replicas`; otherwise the supervisor scales it. */
  autoscale: autoscaleSchema.nullable().default(null),
});

/**
 * A queue's global limits as the cluster file states them (BullMQ's global concurrency and rate
 * limit, obeyed by every worker of every pool): `apply` puts them in Redis; `limits` and the
 * console change both Redis and this record, so `guildhall spec` shows what is in force.
 */
export const queueLimitsSpecSchema = z.strictObject({
  /** Most jobs of the queue active at once across all workers; null = no limit. */
  concurrency: z.number().int().min(1).max(MAX_GLOBAL_CONCURRENCY).nullable().default(null),
  /** At most `max` jobs started per `durationMs`; null = no limit. */
  rateLimit: z
    .strictObject({
      max: z.number().int().min(1).max(MAX_RATE_JOBS),
      durationMs: z.number().int().min(1).max(MAX_RATE_DURATION_MS),
    })
    .nullable()
    .default(null),
});
export type QueueLimitsSpec = z.infer<typeof queueLimitsSpecSchema>;

/** How the supervisor (main/supervisor) heals the cluster and bounds autoscale. */
export const supervisorSpecSchema = z.object({
  /** Whether a face that can supervise (app, console, `guildhall supervise`) does. */
  enabled: z.boolean().default(true),
  unhealthyChecks: z
    .number()
    .int()
    .min(L.unhealthyChecks.min)
    .max(L.unhealthyChecks.max)
    .default(3),
  memoryMarginMb: z.number().int().min(L.memoryMarginMb.min).max(L.memoryMarginMb.max).default(512),
  cpuSaturatedPercent: z
    .number()
    .min(L.cpuSaturatedPercent.min)
    .max(L.cpuSaturatedPercent.max)
    .default(90),
});

export const clusterSpecSchema = z
  .object({
    name: clusterNameSchema.default(DEFAULT_CLUSTER_NAME),
    redis: redisSpecSchema.prefault({}),
    /** The built-in default pool, `worker`, and what every built-in pool shares. */
    workers: workerSpecSchema.prefault({}),
    /** The other pools, by name (pool-spec.ts). */
    pools: poolsSchema,
    supervisor: supervisorSpecSchema.prefault({}),
    /** Global limits per queue, by queue name. */
    queues: z
      .record(z.string().regex(QUEUE_NAME_PATTERN, 'is not a queue name'), queueLimitsSpecSchema)
      .default({}),
    /** Alert rules' thresholds and mutes, and the webhooks (alerts-spec.ts). */
    alerts: alertsSpecSchema.prefault({}),
  })
  .superRefine((spec, ctx) => {
    const shell = shellBindingProblem(spec.workers.queues, spec.workers.shell);
    if (shell)
      ctx.addIssue({
        code: 'custom',
        path: ['workers', 'queues', shell.index],
        message: shell.message,
      });
    if (spec.redis.external) {
      const internal = [
        ...(spec.workers.network === 'internal' ? [['workers', 'network']] : []),
        ...Object.entries(spec.pools)
          .filter(([, pool]) => pool.network === 'internal')
          .map(([name]) => ['pools', name, 'network']),
      ];
      for (const path of internal)
        ctx.addIssue({ code: 'custom', path, message: INTERNAL_NEEDS_OWN_REDIS });
    }
    const counts = [spec.workers.replicas, ...Object.values(spec.pools).map((p) => p.replicas)];
    // A pool over the limit on its own is already named by its field.
    if (counts.some((n) => typeof n !== 'number' || n > MAX_WORKERS)) return;
    const total = counts.reduce((sum, n) => sum + n, 0);
    if (total > MAX_WORKERS) {
      ctx.addIssue({
        code: 'custom',
        path: ['pools'],
        message: `at most ${MAX_WORKERS} containers in all pools together (asked for ${total})`,
      });
    }
  });

export type ClusterSpec = z.infer<typeof clusterSpecSchema>;
export type RedisSpec = z.infer<typeof redisSpecSchema>;
export type WorkerSpec = z.infer<typeof workerSpecSchema>;
export type SupervisorSpec = z.infer<typeof supervisorSpecSchema>;

/** One pool of the cluster as every layer sees it: the default pool and the others alike. */
export interface ClusterPool {
  name: string;
  kind: PoolKind;
  spec: PoolSpec;
}

/**
 * Every pool of the cluster, the default pool (`workers`, named `worker`) first, then the others
 * by name. The one list the reconciler, status, monitor and faces iterate.
 */
export function clusterPools(spec: ClusterSpec): ClusterPool[] {
  const w = spec.workers;
  const defaultPool: PoolSpec = {
    replicas: w.replicas,
    cpus: w.cpus,
    memoryMb: w.memoryMb,
    env: w.env,
    secrets: w.secrets,
    mounts: w.mounts,
    stopTimeoutSeconds: w.stopTimeoutSeconds,
    concurrency: w.concurrency,
    packages: w.packages,
    dockerfile: w.dockerfile,
    queues: w.queues,
    image: null,
    build: null,
    command: null,
    healthcheck: null,
    watch: { celery: [] },
    redisUrlEnv: null,
    autoscale: w.autoscale,
    shell: w.shell,
    allowPrivateNetworks: w.allowPrivateNetworks,
    network: w.network,
  };
  const others = Object.entries(spec.pools)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, pool]) => ({ name, kind: poolKind(pool), spec: pool }));
  return [{ name: DEFAULT_POOL, kind: 'builtin', spec: defaultPool }, ...others];
}

/** Containers wanted in all pools together. */
export function totalReplicas(spec: ClusterSpec): number {
  return clusterPools(spec).reduce((sum, pool) => sum + pool.spec.replicas, 0);
}

export function defaultClusterSpec(): ClusterSpec {
  return clusterSpecSchema.parse({});
}

/** The environment variables that override the images of the settings. */
export const IMAGE_ENV = {
  redis: 'GUILDHALL_REDIS_IMAGE',
  workerBase: 'GUILDHALL_WORKER_BASE_IMAGE',
} as const;

export interface ImageOverride {
  /** The environment variable in force, e.g. GUILDHALL_REDIS_IMAGE. */
  variable: string;
  /** The image it sets: the one that runs, whatever the settings say. */
  image: string;
}

export interface ImageOverrides {
  redis: ImageOverride | null;
  workerBase: ImageOverride | null;
}

/** Which image settings the environment overrides, and with what. */
export function imageOverrides(env: NodeJS.ProcessEnv = process.env): ImageOverrides {
  const of = (variable: string): ImageOverride | null => {
    const image = env[variable]?.trim();
    return image ? { variable, image } : null;
  };
  return { redis: of(IMAGE_ENV.redis), workerBase: of(IMAGE_ENV.workerBase) };
}

/**
 * Environment overrides for tests and offline hosts. They apply to the running process only and
 * are never written back to the settings file.
 */
export function applyEnvOverrides(
  spec: ClusterSpec,
  env: NodeJS.ProcessEnv = process.env,
): ClusterSpec {
  const overrides = imageOverrides(env);
  return {
    ...spec,
    redis: { ...spec.redis, image: overrides.redis?.image ?? spec.redis.image },
    workers: {
      ...spec.workers,
      baseImage: overrides.workerBase?.image ?? spec.workers.baseImage,
    },
  };
}
