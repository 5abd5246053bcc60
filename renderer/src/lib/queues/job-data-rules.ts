/**
 * The add-job form's view of the built-in queues' job-data rules. The rules themselves live in
 * main/shared/job-data-rules.ts, the same schemas the worker's processors and `guildhall add`
 * apply; here their rule keys become catalogue keys (queues.rules.*).
 */
import {
  BUILTIN_QUEUES,
  checkJobData as checkSharedRules,
  isBuiltinQueue,
  JOB_DATA_EXAMPLES,
  type BuiltinQueue,
  type JobDataRule,
} from '@shared/job-data-rules';
import type { MessageKey } from '../i18n/catalogue';

export { BUILTIN_QUEUES, isBuiltinQueue, type BuiltinQueue };

/** Starting data for a built-in queue, pretty-printed into the editor. */
export function templateText(queue: BuiltinQueue): string {
  return JSON.stringify(JOB_DATA_EXAMPLES[queue], null, 2);
}

/** One problem with the job data: where (e.g. `command[0]`, or '' for the whole value) and what. */
export interface DataIssue {
  path: string;
  key: MessageKey;
  params?: Record<string, string | number>;
}

/** Every shared rule has its catalogue entry (a missing one fails the type check here). */
function ruleKey(rule: JobDataRule): MessageKey {
  return `queues.rules.${rule}` satisfies MessageKey;
}

/** Checks data against the queue's built-in processor rules; other queues accept any JSON. */
export function checkJobData(queue: string, data: unknown): DataIssue[] {
  return checkSharedRules(queue, data).map((issue) => ({
    path: issue.path,
    key: ruleKey(issue.rule),
    ...(issue.params ? { params: issue.params } : {}),
  }));
}
