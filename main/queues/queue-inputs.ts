/**
 * Input schemas for every queues read and action. The typed API router reuses them; the
 * service parses with them again, so CLI and in-process callers get the same checks.
 */
import { QUEUE_NAME_PATTERN } from '@shared/spec-limits';
import { z } from 'zod';
import { GuildhallError } from '../util/errors';
import { findNonJson, formatBytes, MAX_JOB_DATA_BYTES, serialisedBytes } from './json-data';
import { cleanableStates, jobStates } from './queue-types';

/** Custom job ids: BullMQ rejects ids that are integers or contain ':'. */
export const CUSTOM_JOB_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;
export const MAX_ATTEMPTS = 100;
export const MAX_PRIORITY = 2_097_152;
/** Longest delay accepted for a job: one year. */
export const MAX_DELAY_MS = 365 * 24 * 60 * 60 * 1000;
/** Finished-job retention when the caller does not say: keep the latest 10,000 completed, all failed. */
export const DEFAULT_REMOVE_ON_COMPLETE = { count: 10_000 } as const;
export const DEFAULT_REMOVE_ON_FAIL = false;
export const MAX_PAGE_SIZE = 1_000;

/** A name for a queue that may be created (by adding a job to it). */
export const queueNameSchema = z
  .string({ error: 'queue must be a string' })
  .regex(QUEUE_NAME_PATTERN, {
    error:
      'queue must be 1–64 characters of letters, digits, ".", "_" or "-", starting with a letter or digit',
  });

/** A reference to an existing queue: lenient, because queues created by other tools may use other names. */
export const queueRefSchema = z
  .string({ error: 'queue must be a string' })
  .min(1, { error: 'queue must not be empty' })
  .max(200, { error: 'queue must be at most 200 characters' })
  .regex(/^[^:\p{Cc}]+$/u, { error: 'queue must not contain ":" or control characters' });

export const jobIdRefSchema = z
  .string({ error: 'id must be a string' })
  .min(1, { error: 'id must not be empty' })
  .max(256, { error: 'id must be at most 256 characters' });

export const customJobIdSchema = z
  .string({ error: 'jobId must be a string' })
  .regex(CUSTOM_JOB_ID_PATTERN, {
    error:
      'jobId must be 1–128 characters of letters, digits, ".", "_" or "-", starting with a letter or digit',
  })
  .refine((id) => !/^\d+$/.test(id), {
    error: 'jobId must not be only digits (BullMQ reserves those)',
  });

export const jobNameSchema = z
  .string({ error: 'name must be a string' })
  .min(1, { error: 'name must not be empty' })
  .max(128, { error: 'name must be at most 128 characters' });

/** Job data: plain JSON, at most 512 KiB serialised. A missing value means `{}`. */
export const jobDataSchema = z
  .unknown()
  .default({})
  .superRefine((value, ctx) => {
    const reason = findNonJson(value);
    if (reason) {
      ctx.addIssue({ code: 'custom', message: reason });
      return;
    }
    const bytes = serialisedBytes(value);
    if (bytes > MAX_JOB_DATA_BYTES) {
      ctx.addIssue({
        code: 'custom',
        message: `data is ${formatBytes(bytes)} (${bytes} bytes) serialised; the limit is ${formatBytes(MAX_JOB_DATA_BYTES)} (${MAX_JOB_DATA_BYTES} bytes)`,
      });
    }
  });

const nonNegativeInt = (field: string, max?: number) => {
  const base = z
    .number({ error: `${field} must be a number` })
    .int({ error: `${field} must be a whole number` })
    .min(0, { error: `${field} must be 0 or more` });
  return max === undefined ? base : base.max(max, { error: `${field} must be at most ${max}` });
};

/** Which finished jobs to keep: true removes at once, false keeps all, a number keeps that many. */
export const keepJobsSchema = (field: string) =>
  z.union(
    [
      z.boolean(),
      nonNegativeInt(field),
      z.strictObject({ count: nonNegativeInt(`${field}.count`) }),
      z.strictObject({
        age: nonNegativeInt(`${field}.age`),
        count: nonNegativeInt(`${field}.count`).optional(),
      }),
    ],
    {
      error: `${field} must be true (remove at once), false (keep all), a count to keep, { count } or { age (seconds), count? }`,
    },
  );

export const backoffSchema = z.strictObject({
  type: z.enum(['fixed', 'exponential'], {
    error: 'backoff.type must be "fixed" or "exponential"',
  }),
  delay: nonNegativeInt('backoff.delay', MAX_DELAY_MS),
});

export const addJobOptionsSchema = z.strictObject({
  attempts: z
    .number({ error: 'attempts must be a number' })
    .int({ error: 'attempts must be a whole number' })
    .min(1, { error: 'attempts must be at least 1' })
    .max(MAX_ATTEMPTS, { error: `attempts must be at most ${MAX_ATTEMPTS}` })
    .default(1),
  backoff: backoffSchema.optional(),
  delay: nonNegativeInt('delay', MAX_DELAY_MS).default(0),
  priority: nonNegativeInt('priority', MAX_PRIORITY).default(0),
  jobId: customJobIdSchema.optional(),
  removeOnComplete: keepJobsSchema('removeOnComplete').default(DEFAULT_REMOVE_ON_COMPLETE),
  removeOnFail: keepJobsSchema('removeOnFail').default(DEFAULT_REMOVE_ON_FAIL),
});

export const addJobInputSchema = z.strictObject({
  queue: queueNameSchema,
  name: jobNameSchema.default('job'),
  data: jobDataSchema,
  options: addJobOptionsSchema.default(() => addJobOptionsSchema.parse({})),
});

export const queueRefInputSchema = z.strictObject({ queue: queueRefSchema });

export const jobRefInputSchema = z.strictObject({ queue: queueRefSchema, id: jobIdRefSchema });

export const listJobsInputSchema = z.strictObject({
  queue: queueRefSchema,
  state: z
    .enum(jobStates, { error: `state must be one of: ${jobStates.join(', ')}` })
    .default('waiting'),
  start: nonNegativeInt('start').default(0),
  count: z
    .number({ error: 'count must be a number' })
    .int({ error: 'count must be a whole number' })
    .min(1, { error: 'count must be at least 1' })
    .max(MAX_PAGE_SIZE, { error: `count must be at most ${MAX_PAGE_SIZE}` })
    .default(50),
  /** `asc` is oldest first (for waiting: next to run first); `desc` is newest first. */
  order: z.enum(['asc', 'desc'], { error: 'order must be "asc" or "desc"' }).default('desc'),
});

export const findJobsByNameInputSchema = listJobsInputSchema.extend({ name: jobNameSchema });

export const cleanInputSchema = z.strictObject({
  queue: queueRefSchema,
  state: z.enum(cleanableStates, { error: `state must be one of: ${cleanableStates.join(', ')}` }),
  /** Only jobs older than this many milliseconds are removed. */
  graceMs: nonNegativeInt('graceMs').default(0),
  /** At most this many jobs are removed per call. */
  limit: z
    .number({ error: 'limit must be a number' })
    .int({ error: 'limit must be a whole number' })
    .min(1, { error: 'limit must be at least 1' })
    .max(100_000, { error: 'limit must be at most 100000' })
    .default(1_000),
});

export const drainInputSchema = z.strictObject({
  queue: queueRefSchema,
  includeDelayed: z.boolean({ error: 'includeDelayed must be true or false' }).default(false),
});

export const metricsInputSchema = z.strictObject({
  queue: queueRefSchema,
  minutes: z
    .number({ error: 'minutes must be a number' })
    .int({ error: 'minutes must be a whole number' })
    .min(1, { error: 'minutes must be at least 1' })
    .max(1_440, { error: 'minutes must be at most 1440' })
    .default(60),
});

export type AddJobOptions = z.input<typeof addJobOptionsSchema>;
export type AddJobInput = z.input<typeof addJobInputSchema>;
export type ParsedAddJobInput = z.output<typeof addJobInputSchema>;
export type ListJobsInput = z.input<typeof listJobsInputSchema>;
export type FindJobsByNameInput = z.input<typeof findJobsByNameInputSchema>;
export type CleanInput = z.input<typeof cleanInputSchema>;
export type DrainInput = z.input<typeof drainInputSchema>;
export type MetricsInput = z.input<typeof metricsInputSchema>;
export type KeepJobs = z.output<ReturnType<typeof keepJobsSchema>>;

/** Parses input or throws GuildhallError 'invalid-input' whose message names each bad field. */
export function parseInput<S extends z.ZodType>(
  schema: S,
  input: unknown,
  what: string,
): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const problems = result.error.issues.slice(0, 5).map(describeIssue);
  const more =
    result.error.issues.length > 5 ? ` (and ${result.error.issues.length - 5} more)` : '';
  throw new GuildhallError(
    'invalid-input',
    `Invalid ${what}: ${problems.join('; ')}${more}.`,
    'Correct the named field and try again.',
    { fields: result.error.issues.map((issue) => issue.path.join('.') || '(input)') },
  );
}

function describeIssue(issue: z.core.$ZodIssue): string {
  const path = issue.path.map(String).join('.');
  if (issue.code === 'unrecognized_keys') {
    const where = path ? ` in ${path}` : '';
    return `unknown field${issue.keys.length > 1 ? 's' : ''}${where}: ${issue.keys.join(', ')}`;
  }
  // Our own messages already start with the field name (or its tail, e.g. "backoff.delay");
  // zod's generic ones get the full path prefixed.
  const segments = issue.path.map(String);
  const namesField = segments.some((_, i) => issue.message.startsWith(segments.slice(i).join('.')));
  if (!path || namesField) return issue.message;
  return `${path}: ${issue.message}`;
}
