/**
 * The jobs table: a failed list shows why each job failed (the reason in full on hover), in
 * place of when it started; other lists keep their columns and show no reason.
 */
import { render, screen, within } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import type { JobSummary } from '../../renderer/src/lib/jobs/job-format';
import JobList from '../../renderer/src/lib/jobs/JobList.svelte';
import { PageCache } from '../../renderer/src/lib/jobs/page-cache';

// jsdom lays nothing out, so it has no ResizeObserver (Svelte's size bindings use one): a
// stand-in that never reports, as a page that never resizes would.
globalThis.ResizeObserver ??= class {
  observe() {}
  unobserve() {}
  disconnect() {}
};

const T0 = Date.UTC(2026, 10, 21, 3, 0, 0);

function job(id: string, failedReason: string | null): JobSummary {
  return {
    id,
    queue: 'shell',
    name: `report-${id}`,
    state: failedReason === null ? 'completed' : 'failed',
    dataPreview: '{}',
    dataBytes: 2,
    attemptsMade: 1,
    maxAttempts: 1,
    priority: 0,
    delay: 0,
    progress: 0,
    timestamp: T0,
    processedOn: T0 + 1_000,
    finishedOn: T0 + 1_250,
    failedReason,
  };
}

const LONG_REASON =
  'command exited with code 127: sh: 1: python3: not found (install it in the worker base image)';

async function renderList(jobs: JobSummary[], showReason?: boolean) {
  const cache = new PageCache<JobSummary>(async () => ({ total: jobs.length, items: jobs }));
  await cache.ensure(0, jobs.length);
  render(JobList, {
    props: {
      cache,
      total: jobs.length,
      version: 0,
      selectedId: null,
      now: T0 + 60_000,
      label: 'Jobs',
      onopen: () => {},
      ...(showReason === undefined ? {} : { showReason }),
    },
  });
  const grid = screen.getByRole('grid', { name: 'Jobs' });
  const headers = within(grid)
    .getAllByRole('columnheader')
    .map((h) => h.textContent?.trim());
  const rows = within(grid).getAllByRole('row').slice(1);
  return { headers, rows };
}

describe('jobs table', () => {
  it('shows the failure reason of each failed job, the full text on hover', async () => {
    const { headers, rows } = await renderList(
      [job('41', 'command exited with code 3'), job('42', LONG_REASON)],
      true,
    );
    expect(headers).toEqual([
      'ID',
      'Name',
      'State',
      'Failure reason',
      'Attempts',
      'Created',
      'Finished',
      'Duration',
    ]);
    const cells = rows.map((row) =>
      within(row)
        .getAllByRole('gridcell')
        .map((c) => c.textContent?.trim()),
    );
    expect(cells[0]![3]).toBe('command exited with code 3');
    expect(cells[1]![3]).toBe(LONG_REASON);
    const reason = within(rows[1]!).getAllByRole('gridcell')[3]!;
    expect(reason.getAttribute('title')).toBe(LONG_REASON);
  });

  it('keeps the other lists as they were: no reason column', async () => {
    const { headers, rows } = await renderList([job('7', null)]);
    expect(headers).toEqual([
      'ID',
      'Name',
      'State',
      'Attempts',
      'Created',
      'Started',
      'Finished',
      'Duration',
    ]);
    expect(within(rows[0]!).getAllByRole('gridcell')).toHaveLength(8);
  });
});
