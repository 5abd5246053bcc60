/**
 * One set of job-data rules for the built-in queues: the worker's processors, `guildhall add` and
 * the console's add-job form refuse the same data, naming the same field, because they apply the
 * same schema objects from main/shared/job-data-rules.ts.
 */
import { UnrecoverableError } from 'bullmq';
import { describe, expect, it } from 'vitest';
import { jobDataProblem } from '../../main/cli/commands/queues';
import {
  checkJobData as sharedCheck,
  describeJobDataIssues,
  JOB_DATA_EXAMPLES,
  JOB_DATA_RULE_TEXT,
  JOB_DATA_SCHEMAS,
} from '../../main/shared/job-data-rules';
import { en } from '../../renderer/src/lib/i18n/en';
import { checkJobData as consoleCheck } from '../../renderer/src/lib/queues/job-data-rules';
import { BUILTIN_PROCESSORS } from '../../resources/worker/src/processors';

const context = { signal: undefined, logLine: () => {} };

async function workerReason(queue: 'shell' | 'http' | 'sleep', data: unknown): Promise<string> {
  const job = { data } as Parameters<(typeof BUILTIN_PROCESSORS)['shell']['run']>[0];
  try {
    await BUILTIN_PROCESSORS[queue].run(job, context);
  } catch (err) {
    expect(err).toBeInstanceOf(UnrecoverableError);
    return (err as Error).message;
  }
  throw new Error(`the ${queue} processor accepted ${JSON.stringify(data)}`);
}

const BAD: ['shell' | 'http' | 'sleep', unknown, string][] = [
  ['shell', { command: 'ls -la' }, 'command'],
  ['shell', { command: ['ls'], timeout: 5 }, ''],
  ['shell', { command: ['ls'], env: { A: 1 } }, 'env.A'],
  ['http', { url: 'ftp://example.com' }, 'url'],
  ['http', { url: 'http://x', body: 'hi' }, 'body'],
  ['sleep', { ms: -1 }, 'ms'],
];

describe('built-in job data: one set of rules', () => {
  it.each(BAD)(
    '%s refuses %j in the worker, the CLI and the console alike',
    async (queue, data, path) => {
      const issues = sharedCheck(queue, data);
      expect(issues.map((issue) => issue.path)).toEqual([path]);
      const reason = describeJobDataIssues(issues);

      expect(await workerReason(queue, data)).toBe(`invalid job data: ${reason}`);

      const cli = jobDataProblem(queue, data);
      expect(cli?.code).toBe('invalid-input');
      expect(cli?.message).toBe(`The job data does not fit queue ${queue}: ${reason}.`);

      expect(consoleCheck(queue, data)).toEqual(
        issues.map((issue) => ({
          path: issue.path,
          key: `queues.rules.${issue.rule}`,
          ...(issue.params ? { params: issue.params } : {}),
        })),
      );
    },
  );

  it('names the field the shell command is missing from, as `guildhall add` prints it', () => {
    expect(jobDataProblem('shell', { command: 'ls -la' })).toEqual({
      code: 'invalid-input',
      message:
        'The job data does not fit queue shell: command: expected a non-empty array of strings, like ["echo", "hi"].',
      hint: `Example: guildhall add shell '{"command":["echo","hello from Guildhall"]}'`,
    });
  });

  it('accepts each example everywhere, and any data for echo and for processor-file queues', () => {
    for (const [queue, example] of Object.entries(JOB_DATA_EXAMPLES)) {
      expect(jobDataProblem(queue, example)).toBeNull();
      expect(consoleCheck(queue, example)).toEqual([]);
      expect(
        JOB_DATA_SCHEMAS[queue as keyof typeof JOB_DATA_SCHEMAS]?.safeParse(example).success ??
          true,
      ).toBe(true);
    }
    expect(jobDataProblem('echo', 'anything')).toBeNull();
    expect(jobDataProblem('resize', { command: 'not checked' })).toBeNull();
  });

  it("the console's English texts are the rules' own", () => {
    expect(en.queues.rules).toMatchObject(JOB_DATA_RULE_TEXT);
  });
});
