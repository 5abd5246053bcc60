/**
 * Job controls as the API sends and accepts them: cancelling a running job and a queue's global
 * limits. Mirrors main/queues/job-controls.ts (kept equal by contract-checks-controls.ts), which
 * checks every input again. Browser-safe: zod only.
 */
import { z } from 'zod';
import { int } from './cluster';
import { queueRefSchema } from './queues';

export const cancelJobResultSchema = z.object({
  queue: z.string(),
  id: z.string(),
  state: z.string(),
  failedReason: z.string().nullable(),
});

export const rateLimitSchema = z.strictObject({
  max: int.min(1).max(1_000_000),
  durationMs: int.min(1).max(24 * 60 * 60 * 1000),
});

export const queueLimitsSchema = z.object({
  queue: z.string(),
  concurrency: z.number().nullable(),
  rateLimit: z.object({ max: z.number(), durationMs: z.number() }).nullable(),
});

export const setLimitsInputSchema = z.strictObject({
  queue: queueRefSchema,
  concurrency: int.min(1).max(10_000).nullable().optional(),
  rateLimit: rateLimitSchema.nullable().optional(),
});
