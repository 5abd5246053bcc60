import { describe, expect, it } from 'vitest';
import { PageCache } from '../../renderer/src/lib/jobs/page-cache';
import {
  clampIndex,
  pagesFor,
  scrollToReveal,
  visibleWindow,
} from '../../renderer/src/lib/jobs/virtual-window';

describe('visible window', () => {
  const base = { rowHeight: 36, viewportHeight: 360, overscan: 0 };

  it('renders only the rows in view of a 100,000-row list', () => {
    const win = visibleWindow({ ...base, total: 100_000, scrollTop: 36 * 50_000 });
    expect(win).toEqual({
      start: 50_000,
      end: 50_010,
      offset: 36 * 50_000,
      totalHeight: 3_600_000,
    });
  });

  it('adds overscan rows on both sides, clamped to the list', () => {
    expect(visibleWindow({ ...base, overscan: 5, total: 1_000, scrollTop: 360 })).toMatchObject({
      start: 5,
      end: 25,
      offset: 180,
    });
    expect(visibleWindow({ ...base, overscan: 5, total: 1_000, scrollTop: 0 })).toMatchObject({
      start: 0,
      end: 15,
    });
  });

  it('counts a partly visible row at the bottom', () => {
    expect(visibleWindow({ ...base, total: 100, scrollTop: 10 })).toMatchObject({
      start: 0,
      end: 11,
    });
  });

  it('clamps a scroll position past the end (the list shrank) to the last rows', () => {
    const win = visibleWindow({ ...base, total: 20, scrollTop: 999_999 });
    expect(win).toMatchObject({ start: 10, end: 20, offset: 360, totalHeight: 720 });
  });

  it('handles empty and short lists', () => {
    expect(visibleWindow({ ...base, total: 0, scrollTop: 100 })).toEqual({
      start: 0,
      end: 0,
      offset: 0,
      totalHeight: 0,
    });
    expect(visibleWindow({ ...base, total: 3, scrollTop: 0 })).toMatchObject({ start: 0, end: 3 });
  });

  it('names the pages that hold a row range', () => {
    expect(pagesFor(0, 10, 100)).toEqual([0]);
    expect(pagesFor(95, 105, 100)).toEqual([0, 1]);
    expect(pagesFor(100, 200, 100)).toEqual([1]);
    expect(pagesFor(50, 50, 100)).toEqual([]);
  });

  it('scrolls the least to reveal a row', () => {
    expect(scrollToReveal(5, 36, 0, 360)).toBeNull();
    expect(scrollToReveal(10, 36, 0, 360)).toBe(36 * 11 - 360);
    expect(scrollToReveal(2, 36, 200, 360)).toBe(72);
    expect(clampIndex(-3, 10)).toBe(0);
    expect(clampIndex(12, 10)).toBe(9);
    expect(clampIndex(4, 0)).toBe(0);
  });
});

describe('page cache', () => {
  /** A list of `size` rows served in pages, counting the requests it answers. */
  function server(size: number) {
    const calls: number[] = [];
    const fetcher = async (start: number, count: number) => {
      calls.push(start);
      const items: string[] = [];
      for (let i = start; i < Math.min(size, start + count); i++) items.push(`job-${i}`);
      return { total: size, items };
    };
    return { calls, fetcher };
  }

  it('fetches only the pages in view, once, and serves rows by index', async () => {
    const { calls, fetcher } = server(100_000);
    let changes = 0;
    const cache = new PageCache(fetcher, { pageSize: 100, onChange: () => changes++ });
    expect(cache.get(0)).toBeUndefined();
    await cache.ensure(50_010, 50_030);
    await cache.ensure(50_000, 50_040);
    expect(calls).toEqual([50_000]);
    expect(cache.get(50_020)).toBe('job-50020');
    expect(cache.total).toBe(100_000);
    expect(changes).toBe(1);
    await cache.ensure(50_090, 50_110);
    expect(calls).toEqual([50_000, 50_100]);
  });

  it('keeps at most maxPages pages however far the user scrolls', async () => {
    const { fetcher } = server(100_000);
    const cache = new PageCache(fetcher, { pageSize: 100, maxPages: 5 });
    for (let start = 0; start < 100_000; start += 1_000) await cache.ensure(start, start + 30);
    expect(cache.cachedPages).toBe(5);
    expect(cache.get(99_000)).toBe('job-99000');
    expect(cache.get(0)).toBeUndefined();
  });

  it('refresh refetches the visible pages and forgets the rest', async () => {
    let size = 300;
    const calls: number[] = [];
    const cache = new PageCache(
      async (start, count) => {
        calls.push(start);
        const items = Array.from(
          { length: Math.max(0, Math.min(count, size - start)) },
          (_, i) => `v${size}-${start + i}`,
        );
        return { total: size, items };
      },
      { pageSize: 100 },
    );
    await cache.ensure(0, 250);
    size = 150;
    await cache.refresh(0, 50);
    expect(cache.total).toBe(150);
    expect(cache.get(0)).toBe('v150-0');
    expect(cache.isLoaded(200)).toBe(false);
    expect(calls).toEqual([0, 100, 200, 0]);
  });

  it('drops answers that arrive after a reset', async () => {
    let release: () => void = () => {};
    const slow = new PageCache(
      () =>
        new Promise<{ total: number; items: string[] }>((resolve) => {
          release = () => resolve({ total: 1, items: ['old'] });
        }),
      { pageSize: 10 },
    );
    const pending = slow.ensure(0, 5);
    slow.reset(async () => ({ total: 1, items: ['new'] }));
    release();
    await pending;
    expect(slow.get(0)).toBeUndefined();
    await slow.ensure(0, 5);
    expect(slow.get(0)).toBe('new');
  });

  it('reports a failed page and fetches it again next time', async () => {
    const errors: unknown[] = [];
    let fail = true;
    const cache = new PageCache(
      async () => {
        if (fail) throw new Error('redis went away');
        return { total: 1, items: ['ok'] };
      },
      { onError: (err) => errors.push(err) },
    );
    await cache.ensure(0, 1);
    expect(errors).toHaveLength(1);
    fail = false;
    await cache.ensure(0, 1);
    expect(cache.get(0)).toBe('ok');
  });
});
