/**
 * The add-job form's rules, without the UI: checks every field as the user types (queue name,
 * job name, JSON syntax with line/column, the built-in processor's data rules, data size and the
 * options' ranges — the same limits the queues core applies) and builds the API input once
 * everything is valid.
 */
import type { ApiInputs } from '../api/client';
import type { MessageKey } from '../i18n/catalogue';
import { QUEUE_NAME_PATTERN } from '@shared/spec-limits';
import { checkJobData, type DataIssue } from './job-data-rules';
import { findJsonProblem, type JsonProblem } from './json-check';

export const MAX_JOB_NAME = 128;
export const MAX_ATTEMPTS = 100;
export const MAX_PRIORITY = 2_097_152;
export const MAX_DELAY_MS = 365 * 24 * 60 * 60 * 1000;
export const MAX_DATA_BYTES = 512 * 1024;

export type AddJobInput = ApiInputs['queues']['add'];

export interface AddJobFormValues {
  queue: string;
  name: string;
  dataText: string;
  attempts: number | null;
  delayMs: number | null;
  priority: number | null;
}

export interface FieldError {
  key: MessageKey;
  params?: Record<string, string | number>;
}

export type FormField = 'queue' | 'name' | 'data' | 'attempts' | 'delayMs' | 'priority';

export interface AddJobCheck {
  /** The JSON syntax problem of the data text, if any. */
  json: JsonProblem | null;
  /** Problems with the data under the queue's processor rules (only when the JSON parses). */
  dataIssues: DataIssue[];
  fields: Partial<Record<FormField, FieldError>>;
  /** The API input, or null while anything is wrong. */
  input: AddJobInput | null;
}

function wholeNumberError(value: number | null, min: number, max: number): FieldError | undefined {
  if (value === null || value === undefined) return undefined;
  if (!Number.isFinite(value) || !Number.isInteger(value))
    return { key: 'queues.addJobForm.errors.wholeNumber' };
  if (value < min || value > max)
    return { key: 'queues.addJobForm.errors.range', params: { min, max } };
  return undefined;
}

export function serialisedBytes(value: unknown): number {
  return new TextEncoder().encode(JSON.stringify(value) ?? '').length;
}

export function checkAddJob(values: AddJobFormValues): AddJobCheck {
  const fields: AddJobCheck['fields'] = {};
  const queue = values.queue.trim();
  if (queue === '') fields.queue = { key: 'queues.addJobForm.errors.queueRequired' };
  else if (!QUEUE_NAME_PATTERN.test(queue))
    fields.queue = { key: 'queues.addJobForm.errors.queueName' };

  const name = values.name.trim();
  if (name.length > MAX_JOB_NAME)
    fields.name = { key: 'queues.addJobForm.errors.nameLength', params: { max: MAX_JOB_NAME } };

  const attempts = wholeNumberError(values.attempts, 1, MAX_ATTEMPTS);
  if (attempts) fields.attempts = attempts;
  const delay = wholeNumberError(values.delayMs, 0, MAX_DELAY_MS);
  if (delay) fields.delayMs = delay;
  const priority = wholeNumberError(values.priority, 0, MAX_PRIORITY);
  if (priority) fields.priority = priority;

  // An empty editor means "no data" ({}), as the API treats a missing value.
  const text = values.dataText.trim() === '' ? '{}' : values.dataText;
  const json = findJsonProblem(text);
  let data: unknown = undefined;
  let dataIssues: DataIssue[] = [];
  if (json) {
    fields.data = { key: 'queues.addJobForm.errors.json' };
  } else {
    data = JSON.parse(text) as unknown;
    dataIssues = checkJobData(queue, data);
    const bytes = serialisedBytes(data);
    if (bytes > MAX_DATA_BYTES) {
      fields.data = {
        key: 'queues.addJobForm.errors.dataSize',
        params: { size: bytes, max: MAX_DATA_BYTES },
      };
    } else if (dataIssues.length > 0) {
      fields.data = { key: 'queues.addJobForm.errors.dataRules' };
    }
  }

  const ok = Object.keys(fields).length === 0;
  const options: NonNullable<AddJobInput['options']> = {};
  if (values.attempts !== null && values.attempts !== undefined) options.attempts = values.attempts;
  if (values.delayMs) options.delay = values.delayMs;
  if (values.priority) options.priority = values.priority;
  const input: AddJobInput | null = ok
    ? {
        queue,
        ...(name ? { name } : {}),
        data,
        ...(Object.keys(options).length > 0 ? { options } : {}),
      }
    : null;
  return { json, dataIssues, fields, input };
}
