/**
 * The built-in processors' job-data rules, mirrored from the worker
 * (resources/worker/src/processors/{shell,http,echo-sleep}.ts and job-data.ts) so the add-job
 * form shows field errors before submitting. Messages are catalogue keys, translated by the form.
 * Keep these in step with the worker's schemas: the worker stays the authority (it fails a job
 * whose data breaks them), this is only the early warning.
 */
import { z } from 'zod';
import type { MessageKey } from '../i18n/catalogue';

export const BUILTIN_QUEUES = ['shell', 'http', 'echo', 'sleep'] as const;
export type BuiltinQueue = (typeof BUILTIN_QUEUES)[number];

export const DAY_MS = 24 * 60 * 60 * 1000;
export const SLEEP_MAX_MS = 3_600_000;

/** Starting data per built-in queue (pretty-printed into the editor). */
export const DATA_TEMPLATES: Record<BuiltinQueue, unknown> = {
  shell: { command: ['echo', 'hello from Guildhall'] },
  http: { url: 'https://example.com', method: 'GET' },
  echo: { message: 'hello' },
  sleep: { ms: 1000 },
};

export function isBuiltinQueue(queue: string): queue is BuiltinQueue {
  return (BUILTIN_QUEUES as readonly string[]).includes(queue);
}

export function templateText(queue: BuiltinQueue): string {
  return JSON.stringify(DATA_TEMPLATES[queue], null, 2);
}

const rule = (key: MessageKey) => ({ error: key });

const milliseconds = z
  .number(rule('queues.rules.milliseconds'))
  .int(rule('queues.rules.wholeMilliseconds'))
  .positive(rule('queues.rules.positiveMilliseconds'))
  .max(DAY_MS, rule('queues.rules.atMostDay'));

const stringRecord = z.record(z.string(), z.string(rule('queues.rules.stringValue')), {
  error: 'queues.rules.stringRecord' satisfies MessageKey,
});

function isHttpUrl(text: string): boolean {
  try {
    const url = new URL(text);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}

const shellData = z.strictObject(
  {
    command: z
      .array(z.string(rule('queues.rules.string')), rule('queues.rules.command'))
      .min(1, rule('queues.rules.command')),
    cwd: z.string(rule('queues.rules.folder')).min(1, rule('queues.rules.folder')).optional(),
    env: stringRecord.optional(),
    timeoutMs: milliseconds.optional(),
    shell: z.boolean(rule('queues.rules.boolean')).optional(),
  },
  rule('queues.rules.shellObject'),
);

const httpData = z
  .strictObject(
    {
      url: z.string(rule('queues.rules.url')).refine(isHttpUrl, rule('queues.rules.url')),
      method: z
        .string(rule('queues.rules.method'))
        .regex(/^[A-Za-z]+$/, rule('queues.rules.method'))
        .optional(),
      headers: stringRecord.optional(),
      body: z.json(rule('queues.rules.body')).optional(),
      timeoutMs: milliseconds.optional(),
      failOnHttpError: z.boolean(rule('queues.rules.boolean')).optional(),
    },
    rule('queues.rules.httpObject'),
  )
  .superRefine((data, ctx) => {
    const method = (data.method ?? 'GET').toUpperCase();
    if (data.body !== undefined && (method === 'GET' || method === 'HEAD')) {
      ctx.addIssue({
        code: 'custom',
        path: ['body'],
        message: 'queues.rules.bodyWithGet' satisfies MessageKey,
      });
    }
  });

const sleepData = z.strictObject(
  {
    ms: z
      .number(rule('queues.rules.sleepMs'))
      .min(0, rule('queues.rules.sleepMs'))
      .max(SLEEP_MAX_MS, rule('queues.rules.sleepMs')),
  },
  rule('queues.rules.sleepObject'),
);

const schemas: Record<BuiltinQueue, z.ZodType | null> = {
  shell: shellData,
  http: httpData,
  sleep: sleepData,
  // The echo processor returns whatever it is given.
  echo: null,
};

/** One problem with the job data: where (e.g. `command[0]`, or '' for the whole value) and what. */
export interface DataIssue {
  path: string;
  key: MessageKey;
  params?: Record<string, string | number>;
}

export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else out += out === '' ? String(segment) : `.${String(segment)}`;
  }
  return out;
}

/** Checks data against the queue's built-in processor rules; other queues accept any JSON. */
export function checkJobData(queue: string, data: unknown): DataIssue[] {
  if (!isBuiltinQueue(queue)) return [];
  const schema = schemas[queue];
  if (!schema) return [];
  const result = schema.safeParse(data);
  if (result.success) return [];
  return result.error.issues.map((issue): DataIssue => {
    const path = formatPath(issue.path);
    if (issue.code === 'unrecognized_keys') {
      const fields = issue.keys.map((key) => (path === '' ? key : `${path}.${key}`));
      return { path, key: 'queues.rules.unknownFields', params: { fields: fields.join(', ') } };
    }
    const known = issue.message.startsWith('queues.rules.');
    return { path, key: known ? (issue.message as MessageKey) : 'queues.rules.invalid' };
  });
}
