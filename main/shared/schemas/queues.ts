/**
 * Queue, job and worker shapes as the API sends them, and the queue inputs it accepts. Outputs
 * mirror main/queues/queue-types.ts; inputs mirror main/queues/queue-inputs.ts, which the
 * queues core applies again (job data size and shape are checked there). The mirror is kept
 * equal by main/api/contract-checks.ts. Browser-safe: zod only.
 */
import { z } from 'zod';
import { int } from './cluster';

export const JOB_STATES = [
  'waiting',
  'active',
  'completed',
  'failed',
  'delayed',
  'paused',
  'prioritized',
  'waiting-children',
] as const;
export const CLEANABLE_STATES = [
  'completed',
  'failed',
  'waiting',
  'delayed',
  'paused',
  'prioritized',
] as const;

/* ---------- inputs ---------- */

export const queueRefSchema = z
  .string()
  .min(1)
  .max(200)
  .regex(/^[^:\p{Cc}]+$/u);
export const jobIdSchema = z.string().min(1).max(256);
export const queueRefInputSchema = z.strictObject({ queue: queueRefSchema });
export const jobRefInputSchema = z.strictObject({ queue: queueRefSchema, id: jobIdSchema });

const keepJobs = z.union([
  z.boolean(),
  int.min(0),
  z.strictObject({ count: int.min(0) }),
  z.strictObject({ age: int.min(0), count: int.min(0).optional() }),
]);

const listJobsFields = {
  queue: queueRefSchema,
  state: z.enum(JOB_STATES).optional(),
  start: int.min(0).optional(),
  count: int.min(1).max(1_000).optional(),
  order: z.enum(['asc', 'desc']).optional(),
};
export const listJobsInputSchema = z.strictObject(listJobsFields);
export const findByNameInputSchema = z.strictObject({
  ...listJobsFields,
  name: z.string().min(1).max(128),
});
export const findByIdInputSchema = z.strictObject({
  id: jobIdSchema,
  queue: queueRefSchema.optional(),
});

export const addJobInputSchema = z.strictObject({
  queue: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/),
  name: z.string().min(1).max(128).optional(),
  /** Plain JSON, at most 512 KiB serialised (checked by the queues core). */
  data: z.unknown().optional(),
  options: z
    .strictObject({
      attempts: int.min(1).max(100).optional(),
      backoff: z
        .strictObject({ type: z.enum(['fixed', 'exponential']), delay: int.min(0) })
        .optional(),
      delay: int.min(0).optional(),
      priority: int.min(0).optional(),
      jobId: z
        .string()
        .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/)
        .optional(),
      removeOnComplete: keepJobs.optional(),
      removeOnFail: keepJobs.optional(),
    })
    .optional(),
});

export const cleanInputSchema = z.strictObject({
  queue: queueRefSchema,
  state: z.enum(CLEANABLE_STATES),
  graceMs: int.min(0).optional(),
  limit: int.min(1).max(100_000).optional(),
});
export const drainInputSchema = z.strictObject({
  queue: queueRefSchema,
  includeDelayed: z.boolean().optional(),
});
export const metricsInputSchema = z.strictObject({
  queue: queueRefSchema,
  minutes: int.min(1).max(1_440).optional(),
});

/* ---------- outputs ---------- */

const heartbeatSchema = z.object({
  name: z.string(),
  state: z.enum(['starting', 'idle', 'busy', 'stopping']),
  queues: z.array(z.string()),
  concurrency: int,
  activeJobs: z.array(z.object({ queue: z.string(), id: z.string() })),
  processed: int,
  failed: int,
  avgDurationMs: z.number(),
  lastError: z.string().nullable(),
  startedAt: z.number(),
  at: z.number(),
  pid: int,
  version: z.string(),
});

export const workerViewSchema = z.object({
  name: z.string(),
  queues: z.array(z.string()),
  heartbeat: heartbeatSchema.nullable(),
  state: z.enum(['idle', 'busy', 'stopping', 'starting', 'unknown']),
  connected: z.boolean(),
});

export const jobCountsSchema = z.object(
  Object.fromEntries(JOB_STATES.map((state) => [state, int])) as Record<
    (typeof JOB_STATES)[number],
    typeof int
  >,
);

export const queueSummarySchema = z.object({
  name: z.string(),
  counts: jobCountsSchema,
  isPaused: z.boolean(),
  workers: z.array(workerViewSchema),
  throughput: z.object({
    completedThisMinute: int,
    completedLastMinute: int,
    failedThisMinute: int,
    failedLastMinute: int,
  }),
  builtin: z.boolean(),
});

export const queueCountsSchema = z.object({
  queue: z.string(),
  counts: jobCountsSchema,
  isPaused: z.boolean(),
});

const jobFields = {
  id: z.string(),
  queue: z.string(),
  name: z.string(),
  state: z.enum([...JOB_STATES, 'unknown']),
  dataPreview: z.string(),
  dataBytes: int,
  attemptsMade: int,
  maxAttempts: int,
  priority: int,
  delay: z.number(),
  progress: z.union([z.number(), z.string(), z.boolean(), z.record(z.string(), z.unknown())]),
  timestamp: z.number(),
  processedOn: z.number().nullable(),
  finishedOn: z.number().nullable(),
  failedReason: z.string().nullable(),
};
export const jobSummarySchema = z.object(jobFields);

export const jobDetailSchema = z.object({
  ...jobFields,
  data: z.unknown(),
  opts: z.record(z.string(), z.unknown()),
  returnvalue: z.unknown(),
  stacktrace: z.array(z.string()),
  logs: z.array(z.string()),
  logCount: int,
  dueAt: z.number().nullable(),
});

const jobPageFields = {
  queue: z.string(),
  state: z.enum(JOB_STATES),
  order: z.enum(['asc', 'desc']),
  start: int,
  total: int,
  jobs: z.array(jobSummarySchema),
};
export const jobPageSchema = z.object(jobPageFields);
export const jobSearchResultSchema = z.object({
  ...jobPageFields,
  name: z.string(),
  scanned: int,
  truncated: z.boolean(),
});
export const findByIdResultSchema = z.object({ id: z.string(), jobs: z.array(jobDetailSchema) });

const seriesSchema = z.object({
  minuteStart: z.number(),
  perMinute: z.array(z.number()),
  total: z.number(),
});
export const queueMetricsSchema = z.object({
  queue: z.string(),
  completed: seriesSchema,
  failed: seriesSchema,
  collected: z.boolean(),
});

export const redisHealthSchema = z.object({
  version: z.string(),
  uptimeSeconds: z.number(),
  usedMemoryBytes: z.number(),
  usedMemoryPeakBytes: z.number(),
  maxMemoryBytes: z.number(),
  maxMemoryPolicy: z.string(),
  opsPerSec: z.number(),
  connectedClients: z.number(),
  aof: z.object({
    enabled: z.boolean(),
    lastWriteStatus: z.string().nullable(),
    rewriteInProgress: z.boolean(),
    lastRewriteStatus: z.string().nullable(),
  }),
});

/** A Celery queue a custom pool watches: read-only (Celery owns it), its waiting tasks. */
export const celeryQueueViewSchema = z.object({
  kind: z.literal('celery'),
  name: z.string(),
  pool: z.string(),
  waiting: int,
});

export const queuesOverviewSchema = z.object({
  at: z.number(),
  queues: z.array(queueSummarySchema),
  workers: z.array(workerViewSchema),
  redis: redisHealthSchema,
  celery: z.array(celeryQueueViewSchema),
});

export const addJobResultSchema = z.object({
  queue: z.string(),
  id: z.string(),
  name: z.string(),
  created: z.boolean(),
  newQueue: z.boolean(),
});

export const jobActionResultSchema = z.object({
  queue: z.string(),
  id: z.string(),
  action: z.enum(['retried', 'removed', 'promoted']),
});

export const retryAllResultSchema = z.object({ queue: z.string(), retried: int });
export const pauseResultSchema = z.object({ queue: z.string(), isPaused: z.boolean() });
export const cleanResultSchema = z.object({
  queue: z.string(),
  state: z.enum(CLEANABLE_STATES),
  removed: int,
  removedIds: z.array(z.string()),
});
export const drainResultSchema = z.object({
  queue: z.string(),
  includedDelayed: z.boolean(),
  removed: int,
});
