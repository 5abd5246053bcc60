/**
 * What a schedule is made of (a BullMQ job scheduler: cron with time zone or an interval, the
 * job it adds, start/end and a run limit) and the inputs that create, preview and address one.
 * The service parses with these, so every face gets the same messages naming the field.
 */
import { z } from 'zod';
import {
  jobDataSchema,
  jobNameSchema,
  MAX_ATTEMPTS,
  MAX_PRIORITY,
  queueNameSchema,
  queueRefSchema,
} from '../queue-inputs';

export const SCHEDULE_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
export const MIN_EVERY_MS = 100;
export const MAX_EVERY_MS = 366 * 24 * 60 * 60 * 1000;
export const PREVIEW_RUNS = 5;

const whole = (field: string, min: number, max: number) =>
  z
    .number({ error: `${field} must be a number` })
    .int({ error: `${field} must be a whole number` })
    .min(min, { error: `${field} must be at least ${min}` })
    .max(max, { error: `${field} must be at most ${max}` });

export const scheduleIdSchema = z
  .string({ error: 'id must be a string' })
  .regex(SCHEDULE_ID_PATTERN, {
    error: 'id must be 1–64 letters, digits, ".", "_" or "-", starting with a letter or digit',
  });

const timing = {
  cron: z
    .string({ error: 'cron must be a string' })
    .trim()
    .min(1, { error: 'cron must not be empty' })
    .max(200, { error: 'cron must be at most 200 characters' })
    .optional(),
  every: whole('every', MIN_EVERY_MS, MAX_EVERY_MS).optional(),
  tz: z
    .string({ error: 'tz must be a string' })
    .min(1, { error: 'tz must not be empty' })
    .max(64, { error: 'tz must be at most 64 characters' })
    .optional(),
  startDate: whole('startDate', 0, 8.64e15).optional(),
  endDate: whole('endDate', 0, 8.64e15).optional(),
};

type Timing = {
  cron?: string | undefined;
  every?: number | undefined;
  tz?: string | undefined;
  startDate?: number | undefined;
  endDate?: number | undefined;
};

function checkTiming(value: Timing, ctx: z.RefinementCtx): void {
  if ((value.cron === undefined) === (value.every === undefined)) {
    ctx.addIssue({
      code: 'custom',
      path: ['cron'],
      message: 'cron or every is needed (exactly one): a cron expression, or an interval in ms',
    });
  }
  if (value.tz !== undefined && value.every !== undefined) {
    ctx.addIssue({
      code: 'custom',
      path: ['tz'],
      message: 'tz applies to cron schedules only; an interval (every) has no time zone',
    });
  }
  if (
    value.startDate !== undefined &&
    value.endDate !== undefined &&
    value.endDate <= value.startDate
  ) {
    ctx.addIssue({ code: 'custom', path: ['endDate'], message: 'endDate must be after startDate' });
  }
}

export const scheduleInputSchema = z
  .strictObject({
    queue: queueNameSchema,
    id: scheduleIdSchema,
    ...timing,
    jobName: jobNameSchema.default('job'),
    data: jobDataSchema,
    attempts: whole('attempts', 1, MAX_ATTEMPTS).optional(),
    priority: whole('priority', 0, MAX_PRIORITY).optional(),
    limit: whole('limit', 1, 1_000_000_000).optional(),
  })
  .superRefine(checkTiming);
export type ScheduleInput = z.input<typeof scheduleInputSchema>;
export type ScheduleDefinition = z.output<typeof scheduleInputSchema>;

export const previewInputSchema = z.strictObject({ ...timing }).superRefine(checkTiming);
export type PreviewInput = z.input<typeof previewInputSchema>;

export const scheduleRefSchema = z.strictObject({ queue: queueRefSchema, id: scheduleIdSchema });
export type ScheduleRef = z.input<typeof scheduleRefSchema>;
