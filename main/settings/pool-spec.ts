/**
 * Pools: the named kinds of worker a cluster runs beside Redis. The `workers` section of the
 * spec is the built-in default pool, named `worker` (a settings file from before pools loads as
 * that one pool); `pools` holds the others. A pool is either
 *   - built-in: the Guildhall worker program on an image built from the workers' base image,
 *     plus the Debian `packages` (and an optional `dockerfile` FROM it) the pool needs, serving
 *     `queues` by built-in processor or processor file; or
 *   - custom: any `image` (or `build`) and `command`, e.g. a Celery worker, whose containers
 *     Guildhall manages (create, scale, limits, logs, stats, health) without talking to the
 *     program inside.
 * Which one a pool is follows from its fields (`poolKind`); fields of the other kind are refused.
 * `clusterPools(spec)` is the one list every layer iterates.
 */
import {
  IMAGE_REFERENCE_PATTERN,
  MAX_WORKERS,
  PACKAGE_NAME_PATTERN,
  POOL_NAME_PATTERN,
  QUEUE_NAME_PATTERN,
  SECRET_NAME_PATTERN,
  SPEC_LIMITS as L,
} from '@shared/spec-limits';
import { SHELL_PROCESSOR, parseQueueEntry, queueEntry } from '@shared/worker-contract';
import { ENV_NAME_PATTERN } from '@shared/env-names';
import { z } from 'zod';

/** The built-in default pool's name: the spec's `workers` section. */
export const DEFAULT_POOL = 'worker';

/** Names a pool may not take: the broker's service, and the default pool (it is `workers`). */
export const RESERVED_POOL_NAMES: ReadonlySet<string> = new Set(['redis', DEFAULT_POOL]);

export const poolNameSchema = z
  .string()
  .regex(POOL_NAME_PATTERN, 'use 1–24 lowercase letters, digits or "-", starting with a letter');

const envName = z.string().regex(ENV_NAME_PATTERN, 'must be a valid environment variable name');

const queueName = z
  .string()
  .regex(QUEUE_NAME_PATTERN, 'use letters, digits, ".", "_" or "-" (up to 64)');

/** A queue a built-in pool serves: a processor's own name, or any name served by a processor. */
export const queueBindingSchema = z.union([
  queueName,
  z.strictObject({ name: queueName, processor: queueName }),
]);
export type QueueBinding = z.infer<typeof queueBindingSchema>;

export const mountSchema = z.strictObject({
  /**
   * Host folder (absolute, or ~/…). Whether it may be mounted (it exists; not /, the home folder
   * or Guildhall's) is decided by the settings rules (settings-rules.ts, mountSourceProblem).
   */
  source: z.string().min(1),
  /** Absolute path in the container (which paths are refused: settings-rules.ts). */
  target: z.string().regex(/^\/[^\0:]*$/, 'must be an absolute path in the container'),
  readOnly: z.boolean().default(true),
});
export type MountSpec = z.infer<typeof mountSchema>;

export const secretNameSchema = z
  .string()
  .regex(SECRET_NAME_PATTERN, 'use letters, digits and "_", starting with a letter or "_"');

/**
 * Autoscale (issue 15): the supervisor keeps the pool between `min` and `max` containers, aiming
 * at `backlogPerWorker` waiting jobs per container (built-in pools: waiting + due delayed jobs of
 * the queues they serve; custom pools: their watched Celery queues). After a change it waits
 * `cooldownSeconds` before scaling down. While set, `replicas` is where the pool starts.
 */
export const autoscaleSchema = z
  .strictObject({
    min: z.number().int().min(L.replicas.min).max(L.replicas.max).default(1),
    max: z.number().int().min(1).max(L.replicas.max),
    backlogPerWorker: z
      .number()
      .int()
      .min(L.backlogPerWorker.min)
      .max(L.backlogPerWorker.max)
      .default(100),
    cooldownSeconds: z
      .number()
      .int()
      .min(L.cooldownSeconds.min)
      .max(L.cooldownSeconds.max)
      .default(60),
  })
  .refine((a) => a.min <= a.max, { path: ['min'], message: 'must not be more than max' });
export type AutoscaleSpec = z.infer<typeof autoscaleSchema>;

/**
 * Which network a pool's containers join: `default`, the cluster's ordinary bridge (internet and
 * the host reachable), or `internal`, a network made with no way out (`<cluster>_internal`,
 * cluster/internal-network.ts) that only Redis shares: the pool reaches Redis and nothing else.
 * `internal` needs the cluster's own Redis (an external one could not be reached from it).
 */
export const POOL_NETWORKS = ['default', 'internal'] as const;
export const poolNetworkSchema = z.enum(POOL_NETWORKS);
export type PoolNetwork = z.infer<typeof poolNetworkSchema>;

/** The message for a pool on the internal network of a cluster using an external Redis. */
export const INTERNAL_NEEDS_OWN_REDIS =
  "internal needs the cluster's own Redis: a pool on the internal network cannot reach an external Redis (redis.external); use network: default for this pool, or remove redis.external";

/** What every pool has, built-in or custom. */
const commonPoolFields = {
  replicas: z.number().int().min(L.replicas.min).max(L.replicas.max).default(1),
  /** CPUs per container (fractions allowed); 0 = no limit. */
  cpus: z.number().min(L.cpus.min).max(L.cpus.max).default(1),
  /** Memory limit per container in MiB; 0 = no limit. */
  memoryMb: z.number().int().min(L.memoryMb.min).max(L.memoryMb.max).default(1024),
  env: z.record(envName, z.string().max(32_768)).default({}),
  /** Names in Guildhall's secret store, given to the containers as /run/secrets/NAME. */
  secrets: z.array(secretNameSchema).max(64).default([]),
  mounts: z.array(mountSchema).max(32).default([]),
  /** Seconds a container gets to finish its work when stopped. */
  stopTimeoutSeconds: z
    .number()
    .int()
    .min(L.stopTimeoutSeconds.min)
    .max(L.stopTimeoutSeconds.max)
    .default(30),
  /** null: the pool keeps `replicas`; otherwise the supervisor scales it (autoscaleSchema). */
  autoscale: autoscaleSchema.nullable().default(null),
  /** The network the pool's containers join (poolNetworkSchema). */
  network: poolNetworkSchema.default('default'),
};

/**
 * A built-in pool whose `queues` name the shell processor while its `shell` is off: the index of
 * the first such binding and what to say, or null. One rule for every built-in pool (the default
 * pool's `workers` section too).
 */
export function shellBindingProblem(
  queues: readonly QueueBinding[],
  shell: boolean,
): { index: number; message: string } | null {
  if (shell) return null;
  const index = queues.findIndex(
    (binding) => parseQueueEntry(queueEntry(binding)).processor === SHELL_PROCESSOR,
  );
  if (index < 0) return null;
  return {
    index,
    message:
      'runs the shell processor, which is off for this pool: set shell: true (its jobs run commands, with the Redis password in reach)',
  };
}

/** Fields only a built-in pool has. */
const builtinPoolFields = {
  /**
   * Whether the pool runs the `shell` processor (jobs that run any command). Off unless asked:
   * whoever can add a shell job runs code in the pool's containers.
   */
  shell: z.boolean().default(false),
  concurrency: z.number().int().min(L.concurrency.min).max(L.concurrency.max).default(10),
  /** Debian packages installed into this pool's image at build time. */
  packages: z
    .array(z.string().regex(PACKAGE_NAME_PATTERN, 'is not a Debian package name'))
    .max(100)
    .default([]),
  /** A Dockerfile (path on the host) built FROM this pool's image (build arg BASE_IMAGE). */
  dockerfile: z.string().min(1).nullable().default(null),
  /** Queues to consume; empty = every built-in queue and every processor file. */
  queues: z.array(queueBindingSchema).max(100).default([]),
  /**
   * Whether this pool's http jobs may reach private and loopback addresses (as the default pool's
   * `workers.allowPrivateNetworks`); link-local never.
   */
  allowPrivateNetworks: z.boolean().default(false),
};

/** Fields only a custom pool has. */
const customPoolFields = {
  image: z
    .string()
    .max(255)
    .regex(IMAGE_REFERENCE_PATTERN, 'is not an image reference (e.g. my-celery:latest)')
    .nullable()
    .default(null),
  /** Build the image from a folder instead (`dockerfile` relative to `context`). */
  build: z
    .strictObject({
      context: z.string().min(1),
      dockerfile: z.string().min(1).default('Dockerfile'),
    })
    .nullable()
    .default(null),
  command: z.array(z.string()).min(1).nullable().default(null),
  /** The engine's healthcheck, as in compose: ["CMD", …] or ["CMD-SHELL", "…"]. */
  healthcheck: z.array(z.string()).min(2).nullable().default(null),
  /** Queue lengths to show (and to scale on): Celery queues are Redis lists. */
  watch: z.strictObject({ celery: z.array(queueName).max(100).default([]) }).prefault({}),
  /**
   * Also put the full Redis URL (with password) in this env var, for images that read only env.
   * Visible in `docker inspect`: prefer GUILDHALL_REDIS_URL_FILE.
   */
  redisUrlEnv: envName.nullable().default(null),
};

const BUILTIN_ONLY = Object.keys(builtinPoolFields);
const CUSTOM_ONLY = Object.keys(customPoolFields);

export const poolSpecSchema = z
  .object({ ...commonPoolFields, ...builtinPoolFields, ...customPoolFields })
  .superRefine((pool, ctx) => {
    const custom = pool.image !== null || pool.build !== null;
    if (pool.image !== null && pool.build !== null) {
      ctx.addIssue({
        code: 'custom',
        path: ['build'],
        message: 'give either image or build, not both',
      });
    }
    if (!custom) {
      const problem = shellBindingProblem(pool.queues, pool.shell);
      if (problem)
        ctx.addIssue({ code: 'custom', path: ['queues', problem.index], message: problem.message });
    }
    if (custom && pool.shell) {
      ctx.addIssue({
        code: 'custom',
        path: ['shell'],
        message:
          'only a built-in pool runs the shell processor; a custom image runs its own program',
      });
    }
    if (!custom && (pool.command !== null || pool.healthcheck !== null)) {
      ctx.addIssue({
        code: 'custom',
        path: [pool.command !== null ? 'command' : 'healthcheck'],
        message: 'only a custom pool (with image or build) takes a command or healthcheck',
      });
    }
    if (custom) {
      for (const key of ['packages', 'queues'] as const) {
        if (pool[key].length > 0)
          ctx.addIssue({
            code: 'custom',
            path: [key],
            message: `a custom pool (image or build) has no ${key}: its image brings its own program`,
          });
      }
      if (pool.allowPrivateNetworks)
        ctx.addIssue({
          code: 'custom',
          path: ['allowPrivateNetworks'],
          message:
            'only a built-in pool runs http jobs; a custom image reaches what its network allows',
        });
      if (pool.dockerfile !== null)
        ctx.addIssue({
          code: 'custom',
          path: ['dockerfile'],
          message: 'a custom pool builds with build: { context, dockerfile }',
        });
    }
  });

export type PoolSpec = z.infer<typeof poolSpecSchema>;
export type PoolKind = 'builtin' | 'custom';

export function poolKind(pool: Pick<PoolSpec, 'image' | 'build'>): PoolKind {
  return pool.image !== null || pool.build !== null ? 'custom' : 'builtin';
}

/** The additional pools, by name (the default pool is the spec's `workers`). */
export const poolsSchema = z
  .record(poolNameSchema, poolSpecSchema)
  .superRefine((pools, ctx) => {
    for (const name of Object.keys(pools)) {
      if (RESERVED_POOL_NAMES.has(name))
        ctx.addIssue({
          code: 'custom',
          path: [name],
          message:
            name === DEFAULT_POOL
              ? 'the default pool "worker" is the workers section'
              : '"redis" is the broker\'s own name',
        });
    }
  })
  .default({});

export { BUILTIN_ONLY, CUSTOM_ONLY, MAX_WORKERS };
