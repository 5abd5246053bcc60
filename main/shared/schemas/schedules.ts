/**
 * Schedules (BullMQ job schedulers) as the API sends and accepts them. Mirrors
 * main/queues/schedules/ (kept equal by contract-checks-schedules.ts), which checks every input
 * again, cron and time zone included. Browser-safe: zod only.
 */
import { z } from 'zod';
import { int } from './cluster';
import { queueRefSchema } from './queues';

const timing = {
  cron: z.string().max(200).optional(),
  every: int
    .min(100)
    .max(366 * 24 * 60 * 60 * 1000)
    .optional(),
  tz: z.string().max(64).optional(),
  startDate: int.min(0).optional(),
  endDate: int.min(0).optional(),
};

export const scheduleIdSchema = z.string().min(1).max(64);
export const scheduleRefSchema = z.strictObject({ queue: queueRefSchema, id: scheduleIdSchema });

export const scheduleInputSchema = z.strictObject({
  queue: z.string().min(1).max(64),
  id: scheduleIdSchema,
  ...timing,
  jobName: z.string().min(1).max(128).optional(),
  data: z.unknown().optional(),
  attempts: int.min(1).max(100).optional(),
  priority: int.min(0).max(2_097_152).optional(),
  limit: int.min(1).max(1_000_000_000).optional(),
});

export const previewInputSchema = z.strictObject(timing);
export const previewResultSchema = z.object({ nextRuns: z.array(z.number()) });

export const scheduleViewSchema = z.object({
  queue: z.string(),
  id: z.string(),
  state: z.enum(['active', 'paused']),
  cron: z.string().nullable(),
  every: z.number().nullable(),
  tz: z.string().nullable(),
  jobName: z.string(),
  data: z.unknown(),
  attempts: z.number().nullable(),
  priority: z.number().nullable(),
  startDate: z.number().nullable(),
  endDate: z.number().nullable(),
  limit: z.number().nullable(),
  iterations: z.number(),
  nextRuns: z.array(z.number()),
  lastRun: z
    .object({
      jobId: z.string(),
      at: z.number(),
      state: z.enum(['active', 'completed', 'failed']),
    })
    .nullable(),
  pausedAt: z.number().nullable(),
});

export const scheduleRemovedSchema = z.object({
  queue: z.string(),
  id: z.string(),
  removed: z.boolean(),
});
