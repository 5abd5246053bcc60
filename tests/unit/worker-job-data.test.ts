/**
 * Built-in processors' job data validation: users read these messages in the failed job's
 * reason, so each must name the field and say what was expected.
 */
import { UnrecoverableError } from 'bullmq';
import { describe, expect, it } from 'vitest';
import { parseJobData } from '../../resources/worker/src/job-data';
import { httpJobSchema, shellJobSchema, sleepJobSchema } from '../../main/shared/job-data-rules';

function reason(schema: Parameters<typeof parseJobData>[0], data: unknown): string {
  try {
    parseJobData(schema, data);
  } catch (err) {
    expect(err).toBeInstanceOf(UnrecoverableError);
    return (err as Error).message;
  }
  throw new Error('expected the data to be rejected');
}

describe('shell job data', () => {
  it.each([
    [
      { command: [] },
      'invalid job data: command: expected a non-empty array of strings, like ["echo", "hi"]',
    ],
    [
      { command: 'ls -l' },
      'invalid job data: command: expected a non-empty array of strings, like ["echo", "hi"]',
    ],
    [{}, 'invalid job data: command: expected a non-empty array of strings, like ["echo", "hi"]'],
    [{ command: ['ls', 3] }, 'invalid job data: command[1]: expected a string'],
    [{ command: ['ls'], env: { A: 1 } }, 'invalid job data: env.A: expected a string value'],
    [
      { command: ['ls'], timeoutMs: 0 },
      'invalid job data: timeoutMs: expected a positive number of milliseconds',
    ],
    [
      { command: ['ls'], timeoutMs: 86_400_001 },
      'invalid job data: timeoutMs: expected at most 86400000 (24 hours)',
    ],
    [{ command: ['ls'], shell: 'yes' }, 'invalid job data: shell: expected true or false'],
    [{ command: ['ls'], timeout: 5 }, 'invalid job data: unknown field(s): timeout'],
    [null, 'invalid job data: expected an object like { "command": ["echo", "hi"] }'],
  ])('rejects %j', (data, message) => {
    expect(reason(shellJobSchema, data)).toBe(message);
  });

  it('accepts a full job', () => {
    const data = {
      command: ['ls', '-l'],
      cwd: '/tmp',
      env: { A: 'b' },
      timeoutMs: 1_000,
      shell: false,
    };
    expect(parseJobData(shellJobSchema, data)).toEqual(data);
  });
});

describe('http job data', () => {
  it.each([
    [{ url: 'ftp://example.com' }, 'invalid job data: url: expected an http:// or https:// URL'],
    [{ url: 'not a url' }, 'invalid job data: url: expected an http:// or https:// URL'],
    [
      { url: 'http://x', method: 'GE T' },
      'invalid job data: method: expected an HTTP method such as "GET" or "POST"',
    ],
    [
      { url: 'http://x', headers: { a: 1 } },
      'invalid job data: headers.a: expected a string value',
    ],
    [
      { url: 'http://x', body: 'hi' },
      'invalid job data: body: a GET or HEAD request cannot have a body',
    ],
    [
      { url: 'http://x', timeoutMs: -1 },
      'invalid job data: timeoutMs: expected a positive number of milliseconds',
    ],
  ])('rejects %j', (data, message) => {
    expect(reason(httpJobSchema, data)).toBe(message);
  });

  it('defaults method, timeout and failOnHttpError, and upper-cases the method', () => {
    expect(parseJobData(httpJobSchema, { url: 'https://example.com' })).toEqual({
      url: 'https://example.com',
      method: 'GET',
      timeoutMs: 30_000,
      failOnHttpError: false,
    });
    expect(
      parseJobData(httpJobSchema, { url: 'http://x', method: 'post', body: { a: [1] } }),
    ).toMatchObject({
      method: 'POST',
      body: { a: [1] },
    });
  });
});

describe('sleep job data', () => {
  it.each([[{ ms: -1 }], [{ ms: 3_600_001 }], [{ ms: '5' }], [{}]])(
    'rejects %j naming ms',
    (data) => {
      expect(reason(sleepJobSchema, data)).toBe(
        'invalid job data: ms: expected a number of milliseconds from 0 to 3600000',
      );
    },
  );
});
