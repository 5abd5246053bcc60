/**
 * The cluster spec: what the user wants running. Validated with zod; every field has a default,
 * so a partial or older settings file still loads.
 */
import os from 'node:os';
import { CLUSTER_NAME_PATTERN, QUEUE_NAME_PATTERN, SPEC_LIMITS as L } from '@shared/spec-limits';
import { z } from 'zod';

export const DEFAULT_CLUSTER_NAME = 'guildhall';
export const DEFAULT_REDIS_IMAGE = 'redis:7.4-bookworm';
export const DEFAULT_WORKER_BASE_IMAGE = 'node:22-bookworm-slim';
export const DEFAULT_REDIS_PORT = 6379;

/** Default worker count: one per core, at most four. */
export function defaultReplicas(cores = os.availableParallelism()): number {
  return Math.max(1, Math.min(cores, 4));
}

const envName = z
  .string()
  .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'must be a valid environment variable name')
  .refine((key) => !key.startsWith('GUILDHALL_'), 'GUILDHALL_* variables are reserved');

export const clusterNameSchema = z
  .string()
  .regex(
    CLUSTER_NAME_PATTERN,
    'use 1–40 lowercase letters, digits, "-" or "_", starting with a letter or digit',
  );

export const redisSpecSchema = z.object({
  image: z.string().min(1).default(DEFAULT_REDIS_IMAGE),
  port: z.number().int().min(L.redisPort.min).max(L.redisPort.max).default(DEFAULT_REDIS_PORT),
  persistence: z.enum(['everysec', 'always']).default('everysec'),
  /** Memory limit of the Redis container in MiB; 0 = no limit. */
  memoryMb: z.number().int().min(L.redisMemoryMb.min).max(L.redisMemoryMb.max).default(0),
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
  /** Seconds a worker gets to finish active jobs when stopped. */
  stopTimeoutSeconds: z
    .number()
    .int()
    .min(L.stopTimeoutSeconds.min)
    .max(L.stopTimeoutSeconds.max)
    .default(30),
});

export const clusterSpecSchema = z.object({
  name: clusterNameSchema.default(DEFAULT_CLUSTER_NAME),
  redis: redisSpecSchema.prefault({}),
  workers: workerSpecSchema.prefault({}),
});

export type ClusterSpec = z.infer<typeof clusterSpecSchema>;
export type RedisSpec = z.infer<typeof redisSpecSchema>;
export type WorkerSpec = z.infer<typeof workerSpecSchema>;

export function defaultClusterSpec(): ClusterSpec {
  return clusterSpecSchema.parse({});
}

/**
 * Environment overrides for tests and offline hosts. They apply to the running process only and
 * are never written back to the settings file.
 */
export function applyEnvOverrides(
  spec: ClusterSpec,
  env: NodeJS.ProcessEnv = process.env,
): ClusterSpec {
  const redisImage = env.GUILDHALL_REDIS_IMAGE?.trim();
  const workerBase = env.GUILDHALL_WORKER_BASE_IMAGE?.trim();
  return {
    ...spec,
    redis: { ...spec.redis, image: redisImage || spec.redis.image },
    workers: { ...spec.workers, baseImage: workerBase || spec.workers.baseImage },
  };
}
