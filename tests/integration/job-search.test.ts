/**
 * Searching jobs by data in a real Redis with real BullMQ jobs: one job found by a JSON path or
 * a substring among 100,000, page by page from a cursor, and a small time budget ending a page
 * early with a cursor to continue from, so a search is bounded and resumable.
 */
import { Queue } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JobSearch, type JobSearchPage, type SearchJobsInput } from '../../main/queues/job-search';
import { QueuesService } from '../../main/queues/index';
import { GuildhallError } from '../../main/util/errors';
import { startTestRedis, type TestRedis } from './helpers/queues-fixture';

const JOBS = 100_000;
const NEEDLE_AT = 61_234;
let redis: TestRedis;
let service: QueuesService;
let search: JobSearch;

beforeAll(async () => {
  redis = await startTestRedis('search');
  service = new QueuesService({ connection: redis.connection, cluster: 'search-test' });
  search = new JobSearch(service.toolkit());
  // The first job through the core makes the queue known; the rest in bulk.
  await service.addJob({ queue: 'orders', data: { user: { id: 'u-0' }, n: 0 } });
  const queue = new Queue('orders', { connection: redis.connection });
  for (let from = 1; from < JOBS; from += 5_000) {
    await queue.addBulk(
      Array.from({ length: Math.min(5_000, JOBS - from) }, (_, i) => {
        const n = from + i;
        const data =
          n === NEEDLE_AT
            ? { user: { id: 'needle-7', tags: ['vip'] }, note: 'Please FIND me', n }
            : { user: { id: `u-${n}`, tags: [] }, note: 'ordinary', n };
        return { name: 'order', data };
      }),
    );
  }
  await queue.close();
}, 300_000);

afterAll(async () => {
  await service?.close();
  await redis?.stop();
});

/** Runs a search to its end, page by page, as the console and CLI do. */
async function searchAll(
  input: SearchJobsInput,
): Promise<{ pages: JobSearchPage[]; ids: string[] }> {
  const pages: JobSearchPage[] = [];
  let cursor: number | null = 0;
  while (cursor !== null) {
    const page = await search.search({ ...input, cursor });
    pages.push(page);
    cursor = page.cursor;
  }
  return { pages, ids: pages.flatMap((page) => page.matches.map((job) => job.id)) };
}

describe('search jobs by data', () => {
  it('finds one job by a JSON path = value among 100,000', async () => {
    const { pages, ids } = await searchAll({
      queue: 'orders',
      state: 'waiting',
      path: 'user.id',
      value: '"needle-7"',
    });
    expect(pages[0]!.total).toBe(JOBS);
    expect(pages.reduce((sum, page) => sum + page.scanned, 0)).toBe(JOBS);
    expect(ids).toHaveLength(1);
    const job = await service.getJob('orders', ids[0]!);
    expect(job.data).toMatchObject({ user: { id: 'needle-7' }, n: NEEDLE_AT });
  });

  it('finds it by a case-insensitive substring, by an array element and by a number', async () => {
    expect(
      (await searchAll({ queue: 'orders', state: 'waiting', text: 'find ME' })).ids,
    ).toHaveLength(1);
    expect(
      (await searchAll({ queue: 'orders', state: 'waiting', path: 'user.tags.0', value: '"vip"' }))
        .ids,
    ).toHaveLength(1);
    expect(
      (await searchAll({ queue: 'orders', state: 'waiting', path: 'n', value: String(NEEDLE_AT) }))
        .ids,
    ).toHaveLength(1);
    expect(
      (await searchAll({ queue: 'orders', state: 'waiting', path: 'n', value: `"${NEEDLE_AT}"` }))
        .ids,
    ).toHaveLength(0);
  });

  it('pages: a limit ends a page at the last match, the cursor continues after it', async () => {
    const first = await search.search({
      queue: 'orders',
      state: 'waiting',
      text: 'ordinary',
      limit: 7,
    });
    expect(first.matches).toHaveLength(7);
    const second = await search.search({
      queue: 'orders',
      state: 'waiting',
      text: 'ordinary',
      limit: 7,
      cursor: first.cursor!,
    });
    const firstIds = new Set(first.matches.map((job) => job.id));
    expect(second.matches.some((job) => firstIds.has(job.id))).toBe(false);
    expect(first.scanned + second.scanned).toBe(14);
  });

  it('a time budget ends a page early with a cursor to resume from', async () => {
    const page = await search.search({
      queue: 'orders',
      state: 'waiting',
      text: 'no such text',
      budgetMs: 50,
    });
    expect(page.timedOut).toBe(true);
    expect(page.cursor).not.toBeNull();
    expect(page.cursor!).toBeLessThan(JOBS);
    expect(page.matches).toEqual([]);
  });

  it('refuses a value that is not JSON, naming it', async () => {
    const error = await search
      .search({ queue: 'orders', state: 'waiting', path: 'user.id', value: 'needle-7' })
      .catch((e: unknown) => e as GuildhallError);
    expect(error).toBeInstanceOf(GuildhallError);
    expect((error as GuildhallError).message).toMatch(/value "needle-7" is not JSON/);
  });
});
