/**
 * Cluster, progress and engine shapes as the API sends them. Mirrors main/cluster/status.ts,
 * main/util/progress.ts and main/engine/types.ts (checked by main/api/contract-checks.ts).
 * Browser-safe: zod only.
 */
import { z } from 'zod';
import { API_ERROR_CODES } from './errors';

export const int = z.number().int();

/** Lets a caller tie progress events on the event stream to the call that caused them. */
export const operationIdSchema = z.string().regex(/^[A-Za-z0-9._-]{1,64}$/);

export const progressEventSchema = z.object({
  step: z.enum([
    'engine',
    'settings',
    'image',
    'network',
    'volume',
    'redis',
    'worker',
    'scale',
    'remove',
  ]),
  target: z.string(),
  status: z.enum(['pending', 'running', 'done', 'failed', 'skipped']),
  message: z.string().optional(),
  bytesDone: z.number().optional(),
  bytesTotal: z.number().optional(),
  item: z.string().optional(),
  at: z.number(),
});

const containerStatusFields = {
  id: z.string(),
  name: z.string(),
  /** The pool it belongs to (`redis` for the broker). */
  pool: z.string(),
  number: int,
  state: z.string(),
  health: z.enum(['healthy', 'unhealthy', 'starting', 'none']),
  /** The engine's healthcheck failures in a row (0 without a healthcheck or when it passes). */
  failingStreak: int,
  /** Restarts that were crashes (planned reloads not included). */
  restartCount: int,
  /** Planned reloads: exits to load changed processor files. */
  reloads: int,
  startedAt: z.string().nullable(),
  exitCode: int.nullable(),
  oomKilled: z.boolean(),
  image: z.string(),
};
export const containerStatusSchema = z.object(containerStatusFields);

/** One pool at a glance: what it runs, how many it wants, how many it has and run. */
export const poolStatusSchema = z.object({
  name: z.string(),
  kind: z.enum(['builtin', 'custom']),
  image: z.string().nullable(),
  desired: int,
  containers: int,
  running: int,
});

export const clusterStatusSchema = z.object({
  cluster: z.string(),
  state: z.enum(['running', 'degraded', 'starting', 'stopped', 'absent']),
  network: z.boolean(),
  volume: z.boolean(),
  redis: z.object({ ...containerStatusFields, port: int.nullable() }).nullable(),
  /** Every pool's containers. */
  workers: z.array(containerStatusSchema),
  /** Containers wanted in all pools together. */
  desiredWorkers: int,
  pools: z.array(poolStatusSchema),
});

/** Where an engine was found; TLS file paths and socket paths stay on the server. */
const endpointSchema = z.object({
  id: z.string(),
  label: z.string(),
  source: z.string(),
  flavor: z.string(),
  transport: z.enum(['socket', 'tcp', 'unsupported']),
});

export const engineInfoSchema = z.object({
  endpoint: endpointSchema,
  version: z.string(),
  apiVersion: z.string(),
  os: z.string(),
  arch: z.string(),
  engineName: z.enum(['docker', 'podman']),
});

export const engineProbeSchema = z.discriminatedUnion('ok', [
  engineInfoSchema.extend({ ok: z.literal(true) }),
  z.object({
    ok: z.literal(false),
    endpoint: endpointSchema,
    code: z.enum(API_ERROR_CODES),
    reason: z.string(),
    message: z.string(),
    hint: z.string(),
  }),
]);

export const imagesResultSchema = z.object({ redisImage: z.string(), workerImage: z.string() });
