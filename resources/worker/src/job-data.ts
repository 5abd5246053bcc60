/**
 * Validation of built-in processors' job data. Invalid data fails the job with an
 * UnrecoverableError (retrying cannot fix it) whose message names the offending field.
 */
import { UnrecoverableError } from 'bullmq';
import type { z } from 'zod';

export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else out += out === '' ? String(segment) : `.${String(segment)}`;
  }
  return out;
}

export function describeDataIssues(error: z.ZodError): string {
  return error.issues
    .map((issue) => {
      if (issue.code === 'unrecognized_keys') {
        const where = formatPath(issue.path);
        const keys = issue.keys.map((key) => (where === '' ? key : `${where}.${key}`));
        return `unknown field${keys.length > 1 ? 's' : ''} ${keys.join(', ')}`;
      }
      const where = formatPath(issue.path);
      return where === '' ? issue.message : `${where}: ${issue.message}`;
    })
    .join('; ');
}

export function parseJobData<T extends z.ZodType>(schema: T, data: unknown): z.output<T> {
  const result = schema.safeParse(data);
  if (!result.success) {
    throw new UnrecoverableError(`invalid job data: ${describeDataIssues(result.error)}`);
  }
  return result.data;
}
