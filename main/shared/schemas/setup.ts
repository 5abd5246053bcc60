/**
 * The setup wizard's procedures: host resources and a recommended size, a Redis port check,
 * pinning an engine by hand, the connection URL, and the smoke test. Mirrors main/setup/*.ts
 * (checked by main/api/contract-checks.ts). Browser-safe: zod only.
 */
import { z } from 'zod';
import { engineProbeSchema, int } from './cluster';

export const hostResourcesSchema = z.object({
  cores: int,
  memoryTotalBytes: z.number(),
  memoryAvailableBytes: z.number(),
  diskFreeBytes: z.number().nullable(),
  diskPath: z.string(),
  engineCpus: int.nullable(),
  engineMemoryBytes: z.number().nullable(),
  recommendation: z.object({
    workers: int,
    concurrency: int,
    workerMemoryMb: int,
    workerCpus: z.number(),
    redisMemoryMb: int,
  }),
  warnings: z.array(z.enum(['few-cores', 'low-memory', 'low-disk'])),
});

/** Same rule as the cluster spec's name (main/cluster/spec.ts). */
export const clusterNameInputSchema = z.string().regex(/^[a-z0-9][a-z0-9_-]{0,39}$/);

export const checkPortInputSchema = z.strictObject({
  port: int.min(1).max(65535),
  /** The cluster the port is meant for (default: the configured one). */
  cluster: clusterNameInputSchema.optional(),
});

export const portCheckSchema = z.object({
  port: int,
  free: z.boolean(),
  ours: z.boolean(),
  suggestion: int.nullable(),
  /** The program holding the port, when the OS tells (e.g. "redis-server (pid 4242)"). */
  holder: z.string().nullable(),
});

export const pinEngineInputSchema = z.strictObject({
  /** A socket path, unix://, npipe:// or tcp:// address; null goes back to discovery. */
  address: z.string().min(1).max(1024).nullable(),
});

export const pinEngineResultSchema = z.object({
  probe: engineProbeSchema.nullable(),
  pinned: z.string().nullable(),
});

export const smokeTestInputSchema = z
  .strictObject({ timeoutMs: int.min(1_000).max(120_000).optional() })
  .optional();

export const smokeTestResultSchema = z.object({
  queue: z.string(),
  jobId: z.string(),
  roundTripMs: z.number(),
  processingMs: z.number().nullable(),
  waitMs: z.number().nullable(),
});

export const connectionInputSchema = z.strictObject({
  /** Include the password (for the user's own clients); masked otherwise. */
  reveal: z.boolean(),
});

export const connectionSchema = z.object({
  /** redis://default:PASSWORD@127.0.0.1:PORT, or with the password masked. */
  url: z.string(),
  host: z.string(),
  port: int,
  revealed: z.boolean(),
});
