/**
 * The built-in queues' job-data rules, in one place for every part that applies them: the
 * worker's processors (which fail a job whose data breaks them), the console's add-job form and
 * `guildhall add` (which refuse such data before it is sent). Browser-safe: zod only, no Node.
 * Each rule's message is a key; JOB_DATA_RULE_TEXT holds its English text (the worker's failure
 * reasons, the CLI and the console's English catalogue), the console translates the keys.
 */
import { z } from 'zod';

export const BUILTIN_QUEUES = ['shell', 'http', 'echo', 'sleep'] as const;
export type BuiltinQueue = (typeof BUILTIN_QUEUES)[number];

export const DAY_MS = 24 * 60 * 60 * 1000;
export const SLEEP_MAX_MS = 3_600_000;
const DEFAULT_HTTP_TIMEOUT_MS = 30_000;

/** English text of each rule; `{fields}` is filled in. */
export const JOB_DATA_RULE_TEXT = {
  milliseconds: 'expected a number of milliseconds',
  wholeMilliseconds: 'expected a whole number of milliseconds',
  positiveMilliseconds: 'expected a positive number of milliseconds',
  atMostDay: 'expected at most 86400000 (24 hours)',
  stringValue: 'expected a string value',
  stringRecord: 'expected an object of string values',
  string: 'expected a string',
  command: 'expected a non-empty array of strings, like ["echo", "hi"]',
  folder: 'expected a folder path',
  boolean: 'expected true or false',
  shellObject: 'expected an object like { "command": ["echo", "hi"] }',
  url: 'expected an http:// or https:// URL',
  method: 'expected an HTTP method such as "GET" or "POST"',
  body: 'expected a string or a JSON value',
  httpObject: 'expected an object like { "url": "https://example.com" }',
  bodyWithGet: 'a GET or HEAD request cannot have a body',
  sleepMs: 'expected a number of milliseconds from 0 to 3600000',
  sleepObject: 'expected an object like { "ms": 1000 }',
  unknownFields: 'unknown field(s): {fields}',
  invalid: 'invalid value',
} as const;

export type JobDataRule = keyof typeof JOB_DATA_RULE_TEXT;

const rule = (key: JobDataRule) => ({ error: key });

const milliseconds = z
  .number(rule('milliseconds'))
  .int(rule('wholeMilliseconds'))
  .positive(rule('positiveMilliseconds'))
  .max(DAY_MS, rule('atMostDay'));

const stringRecord = z.record(z.string(), z.string(rule('stringValue')), rule('stringRecord'));

function isHttpUrl(text: string): boolean {
  try {
    const url = new URL(text);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}

export const shellJobSchema = z.strictObject(
  {
    command: z.array(z.string(rule('string')), rule('command')).min(1, rule('command')),
    cwd: z.string(rule('folder')).min(1, rule('folder')).optional(),
    env: stringRecord.optional(),
    timeoutMs: milliseconds.optional(),
    shell: z.boolean(rule('boolean')).optional(),
  },
  rule('shellObject'),
);
export type ShellJob = z.infer<typeof shellJobSchema>;

export const httpJobSchema = z
  .strictObject(
    {
      url: z.string(rule('url')).refine(isHttpUrl, rule('url')),
      method: z
        .string(rule('method'))
        .regex(/^[A-Za-z]+$/, rule('method'))
        .transform((method) => method.toUpperCase())
        .default('GET'),
      headers: stringRecord.optional(),
      body: z.json(rule('body')).optional(),
      timeoutMs: milliseconds.default(DEFAULT_HTTP_TIMEOUT_MS),
      failOnHttpError: z.boolean(rule('boolean')).default(false),
    },
    rule('httpObject'),
  )
  .superRefine((data, ctx) => {
    if (data.body !== undefined && (data.method === 'GET' || data.method === 'HEAD')) {
      ctx.addIssue({ code: 'custom', path: ['body'], message: 'bodyWithGet' });
    }
  });
export type HttpJob = z.infer<typeof httpJobSchema>;

export const sleepJobSchema = z.strictObject(
  {
    ms: z.number(rule('sleepMs')).min(0, rule('sleepMs')).max(SLEEP_MAX_MS, rule('sleepMs')),
  },
  rule('sleepObject'),
);

/** Each built-in queue's schema; null where any data goes (the echo processor returns it). */
export const JOB_DATA_SCHEMAS: Record<BuiltinQueue, z.ZodType | null> = {
  shell: shellJobSchema,
  http: httpJobSchema,
  sleep: sleepJobSchema,
  echo: null,
};

/** Valid data for each built-in queue: the console's starting data, the CLI's example. */
export const JOB_DATA_EXAMPLES: Record<BuiltinQueue, unknown> = {
  shell: { command: ['echo', 'hello from Guildhall'] },
  http: { url: 'https://example.com', method: 'GET' },
  echo: { message: 'hello' },
  sleep: { ms: 1000 },
};

export function isBuiltinQueue(queue: string): queue is BuiltinQueue {
  return (BUILTIN_QUEUES as readonly string[]).includes(queue);
}

/** One problem with job data: where (e.g. `command[0]`, or '' for the whole value) and what. */
export interface JobDataIssue {
  path: string;
  rule: JobDataRule;
  params?: { fields: string };
}

export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else out += out === '' ? String(segment) : `.${String(segment)}`;
  }
  return out;
}

function isRule(message: string): message is JobDataRule {
  return Object.hasOwn(JOB_DATA_RULE_TEXT, message);
}

/** The issues of a failed parse, as rules with the field they concern. */
export function jobDataIssues(error: z.ZodError): JobDataIssue[] {
  return error.issues.map((issue): JobDataIssue => {
    const path = formatPath(issue.path);
    if (issue.code === 'unrecognized_keys') {
      const fields = issue.keys.map((key) => (path === '' ? key : `${path}.${key}`));
      return { path, rule: 'unknownFields', params: { fields: fields.join(', ') } };
    }
    return { path, rule: isRule(issue.message) ? issue.message : 'invalid' };
  });
}

/** Checks data against a built-in queue's rules; other queues accept any JSON. */
export function checkJobData(queue: string, data: unknown): JobDataIssue[] {
  const schema = isBuiltinQueue(queue) ? JOB_DATA_SCHEMAS[queue] : null;
  if (!schema) return [];
  const result = schema.safeParse(data);
  return result.success ? [] : jobDataIssues(result.error);
}

/** "command: expected …; unknown field(s): colour" — the issues in English, on one line. */
export function describeJobDataIssues(issues: readonly JobDataIssue[]): string {
  return issues
    .map((issue) => {
      const text = JOB_DATA_RULE_TEXT[issue.rule].replace('{fields}', issue.params?.fields ?? '');
      return issue.path === '' || issue.rule === 'unknownFields' ? text : `${issue.path}: ${text}`;
    })
    .join('; ');
}
