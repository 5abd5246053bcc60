/**
 * Validation of built-in processors' job data against the shared rules
 * (main/shared/job-data-rules.ts). Invalid data fails the job with an UnrecoverableError
 * (retrying cannot fix it) whose message names the offending field.
 */
import { UnrecoverableError } from 'bullmq';
import type { z } from 'zod';
import { describeJobDataIssues, jobDataIssues } from '../../../main/shared/job-data-rules';

export function parseJobData<T extends z.ZodType>(schema: T, data: unknown): z.output<T> {
  const result = schema.safeParse(data);
  if (!result.success) {
    throw new UnrecoverableError(
      `invalid job data: ${describeJobDataIssues(jobDataIssues(result.error))}`,
    );
  }
  return result.data;
}
