import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import {
  findNonJson,
  formatBytes,
  MAX_JOB_DATA_BYTES,
  MAX_JOB_DATA_DEPTH,
} from '../../main/queues/json-data';
import {
  addJobInputSchema,
  cleanInputSchema,
  listJobsInputSchema,
  parseInput,
  queueNameSchema,
  queueRefSchema,
} from '../../main/queues/queue-inputs';
import { GuildhallError } from '../../main/util/errors';

function invalid(input: unknown, schema: z.ZodType = addJobInputSchema): GuildhallError {
  try {
    parseInput(schema, input, 'job');
  } catch (err) {
    expect(err).toBeInstanceOf(GuildhallError);
    expect((err as GuildhallError).code).toBe('invalid-input');
    return err as GuildhallError;
  }
  throw new Error('expected the input to be rejected');
}

describe('findNonJson', () => {
  it('accepts plain JSON values, including null-prototype objects and shared (non-circular) references', () => {
    const shared = { x: 1 };
    const bare = Object.assign(Object.create(null) as object, { a: 1 });
    expect(
      findNonJson({ a: [1, 'two', true, null, { b: -0.5 }], s: shared, t: shared, bare }),
    ).toBeNull();
    expect(findNonJson('text')).toBeNull();
    expect(findNonJson(null)).toBeNull();
  });

  it.each([
    [{ f: () => 1 }, 'data.f is a function'],
    [{ b: 1n }, 'data.b is a BigInt'],
    [{ s: Symbol('x') }, 'data.s is a symbol'],
    [{ n: Infinity }, 'data.n is Infinity'],
    [{ deep: [{ u: undefined }] }, 'data.deep[0].u is undefined'],
    [{ d: new Date(0) }, 'data.d is a Date'],
    [{ r: /x/ }, 'data.r is a RegExp'],
    [undefined, 'data is undefined'],
  ])('rejects %o: %s', (value, reason) => {
    expect(findNonJson(value)).toContain(reason);
  });

  it('refuses data nested deeper than the limit with a clear reason, not a stack overflow', () => {
    const nest = (levels: number) => {
      let value: unknown = 'leaf';
      for (let i = 0; i < levels; i++) value = i % 2 ? [value] : { a: value };
      return value;
    };
    expect(findNonJson(nest(MAX_JOB_DATA_DEPTH))).toBeNull();
    for (const levels of [MAX_JOB_DATA_DEPTH + 1, 200_000]) {
      expect(findNonJson(nest(levels))).toMatch(
        /^data nests arrays and objects more than 100 levels deep \(at data[.a[\]0]+…?\); flatten it/,
      );
    }
    expect(invalid({ queue: 'q', data: nest(200_000) }).message).toContain('100 levels deep');
  });

  it('rejects a cycle and names where it closes', () => {
    const a: Record<string, unknown> = {};
    a['list'] = [1, { back: a }];
    expect(findNonJson(a)).toBe(
      'data.list[1].back refers back to itself (a circular structure), which is not JSON',
    );
  });
});

describe('addJobInputSchema', () => {
  it('fills the documented defaults', () => {
    const parsed = parseInput(addJobInputSchema, { queue: 'echo' }, 'job');
    expect(parsed).toEqual({
      queue: 'echo',
      name: 'job',
      data: {},
      options: {
        attempts: 1,
        delay: 0,
        priority: 0,
        removeOnComplete: { count: 10_000 },
        removeOnFail: false,
      },
    });
  });

  it('accepts the limits exactly and rejects one past them', () => {
    const at = { attempts: 100, priority: 2_097_152, delay: 0 };
    expect(parseInput(addJobInputSchema, { queue: 'q', options: at }, 'job').options).toMatchObject(
      at,
    );
    expect(invalid({ queue: 'q', options: { attempts: 101 } }).message).toContain(
      'attempts must be at most 100',
    );
    expect(invalid({ queue: 'q', options: { priority: 2_097_153 } }).message).toContain(
      'priority must be at most 2097152',
    );
    expect(invalid({ queue: 'q', options: { attempts: 1.5 } }).message).toContain(
      'attempts must be a whole number',
    );
  });

  it('takes data up to 512 KiB serialised and names size and limit beyond it', () => {
    // A JSON string adds two quote characters.
    const fits = 'x'.repeat(MAX_JOB_DATA_BYTES - 2);
    expect(parseInput(addJobInputSchema, { queue: 'q', data: fits }, 'job').data).toBe(fits);
    const err = invalid({ queue: 'q', data: `${fits}y` });
    expect(err.message).toBe(
      `Invalid job: data is 512 KiB (${MAX_JOB_DATA_BYTES + 1} bytes) serialised; the limit is 512 KiB (${MAX_JOB_DATA_BYTES} bytes).`,
    );
  });

  it('names every bad field, nested ones by their own name, and lists them in details', () => {
    const err = invalid({
      queue: 'q',
      options: { delay: -1, backoff: { type: 'fixed', delay: -2 }, removeOnFail: 'sometimes' },
    });
    expect(err.message).toContain('delay must be 0 or more');
    expect(err.message).toContain('backoff.delay must be 0 or more');
    expect(err.message).not.toContain('options.backoff.delay:');
    expect(err.message).toContain('removeOnFail must be true (remove at once), false (keep all)');
    expect([...(err.details?.['fields'] as string[])].sort()).toEqual([
      'options.backoff.delay',
      'options.delay',
      'options.removeOnFail',
    ]);
    expect(err.hint).toBeTruthy();
  });

  it('refuses unknown fields instead of ignoring a typo', () => {
    expect(invalid({ queue: 'q', opts: {} }).message).toContain('unknown field: opts');
    expect(invalid({ queue: 'q', options: { attemps: 2 } }).message).toContain(
      'unknown field in options: attemps',
    );
  });

  it('checks custom job ids', () => {
    expect(
      parseInput(addJobInputSchema, { queue: 'q', options: { jobId: 'order-1.a_b' } }, 'job')
        .options.jobId,
    ).toBe('order-1.a_b');
    expect(invalid({ queue: 'q', options: { jobId: '42' } }).message).toContain(
      'jobId must not be only digits',
    );
    expect(invalid({ queue: 'q', options: { jobId: 'a:b' } }).message).toContain(
      'jobId must be 1–128 characters',
    );
  });
});

describe('queue names', () => {
  it('follow ^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$ for new queues', () => {
    expect(queueNameSchema.safeParse('a').success).toBe(true);
    expect(queueNameSchema.safeParse(`a${'b'.repeat(63)}`).success).toBe(true);
    expect(queueNameSchema.safeParse(`a${'b'.repeat(64)}`).success).toBe(false);
    expect(queueNameSchema.safeParse('-lead').success).toBe(false);
    expect(queueNameSchema.safeParse('with space').success).toBe(false);
    expect(queueNameSchema.safeParse('').success).toBe(false);
  });

  it('are lenient for existing queues but never take ":" or control characters', () => {
    expect(queueRefSchema.safeParse('Some Queue (legacy)').success).toBe(true);
    expect(queueRefSchema.safeParse('a:b').success).toBe(false);
    expect(queueRefSchema.safeParse('a\nb').success).toBe(false);
  });
});

describe('other request schemas', () => {
  it('job lists default to 50 waiting jobs, newest first, and cap the page size', () => {
    expect(parseInput(listJobsInputSchema, { queue: 'q' }, 'list')).toEqual({
      queue: 'q',
      state: 'waiting',
      start: 0,
      count: 50,
      order: 'desc',
    });
    expect(invalid({ queue: 'q', count: 1001 }, listJobsInputSchema).message).toContain(
      'count must be at most 1000',
    );
    expect(invalid({ queue: 'q', state: 'done' }, listJobsInputSchema).message).toContain(
      'state must be one of: waiting, active',
    );
  });

  it('clean needs a state it can clean (never active)', () => {
    expect(parseInput(cleanInputSchema, { queue: 'q', state: 'failed' }, 'clean')).toEqual({
      queue: 'q',
      state: 'failed',
      graceMs: 0,
      limit: 1_000,
    });
    expect(invalid({ queue: 'q', state: 'active' }, cleanInputSchema).message).toContain(
      'state must be one of: completed, failed',
    );
  });
});

describe('formatBytes', () => {
  it('shows whole units without decimals', () => {
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(512 * 1024)).toBe('512 KiB');
    expect(formatBytes(1536)).toBe('1.5 KiB');
    expect(formatBytes(3 * 1024 * 1024)).toBe('3 MiB');
  });
});
