/**
 * Searching jobs by data as the API accepts and sends it. Mirrors main/queues/job-search.ts
 * (kept equal by contract-checks-search.ts), which checks every input again. Browser-safe.
 */
import { z } from 'zod';
import { int } from './cluster';
import { JOB_STATES, jobSummarySchema, queueRefSchema } from './queues';

export const searchJobsInputSchema = z.strictObject({
  queue: queueRefSchema,
  state: z.enum(JOB_STATES),
  text: z.string().min(1).max(200).optional(),
  path: z.string().min(1).max(200).optional(),
  value: z.string().max(2_000).optional(),
  cursor: int.min(0).optional(),
  limit: int.min(1).max(500).optional(),
  budgetMs: int.min(50).max(30_000).optional(),
});

export const jobSearchPageSchema = z.object({
  queue: z.string(),
  state: z.enum(JOB_STATES),
  total: z.number(),
  cursor: z.number().nullable(),
  scanned: z.number(),
  matches: z.array(jobSummarySchema),
  elapsedMs: z.number(),
  timedOut: z.boolean(),
});
