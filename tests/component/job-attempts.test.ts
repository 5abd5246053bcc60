/**
 * The Attempts column and the detail's attempts for a job added without `attempts`: BullMQ
 * stores `attempts: 0` and runs the job once, so the console shows "1/1", never "1/0".
 */
import { render, screen } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import type { ApiOutputs } from '../../renderer/src/lib/api/client';
import JobDetail from '../../renderer/src/lib/jobs/JobDetail.svelte';
import JobList from '../../renderer/src/lib/jobs/JobList.svelte';
import { PageCache } from '../../renderer/src/lib/jobs/page-cache';

type Detail = ApiOutputs['queues']['job'];
type Summary = ApiOutputs['queues']['jobs']['jobs'][number];

const T0 = Date.UTC(2026, 10, 21, 3, 0, 0);

/** A completed echo job as BullMQ reports one added by `queue.add(name, data)` alone. */
const job: Detail = {
  id: '7',
  queue: 'echo',
  name: 'hello',
  state: 'completed',
  dataPreview: '{"n":1}',
  dataBytes: 7,
  attemptsMade: 1,
  maxAttempts: 0,
  priority: 0,
  delay: 0,
  progress: 0,
  timestamp: T0,
  processedOn: T0 + 10,
  finishedOn: T0 + 20,
  failedReason: null,
  data: { n: 1 },
  opts: { attempts: 0 },
  returnvalue: { n: 1 },
  stacktrace: [],
  logs: [],
  logCount: 0,
  dueAt: null,
};

describe('attempts of a job added without the attempts option', () => {
  it('reads 1/1 in the jobs list', async () => {
    // jsdom has no layout: the list's height binding needs a ResizeObserver that never fires.
    globalThis.ResizeObserver ??= class {
      observe() {}
      unobserve() {}
      disconnect() {}
    };
    const summary: Summary = { ...job };
    const cache = new PageCache<Summary>(async () => ({ total: 1, items: [summary] }));
    await cache.ensure(0, 1);
    render(JobList, {
      cache,
      total: 1,
      version: 1,
      selectedId: null,
      now: T0 + 1_000,
      label: 'Jobs',
      onopen: () => {},
    });
    const cell = document.querySelector('[role="gridcell"].c-attempts');
    expect(cell?.textContent?.replace(/\s+/g, '')).toBe('1/1');
  });

  it('reads "Attempts 1 of 1" in the job detail', () => {
    render(JobDetail, { job, now: T0 + 1_000 });
    expect(screen.getByTestId('attempts').textContent).toContain('Attempts 1 of 1');
  });
});
