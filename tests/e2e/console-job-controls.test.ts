/**
 * Job controls in the browser console against a real cluster: a running shell job cancelled from
 * its detail panel (it ends failed "cancelled by user"), a queue's global limits set from its
 * queue card and shown on it, and a search by job data whose result opens the job's detail.
 * Screenshots in English and Japanese.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { webSocketClient, type TransportClient } from '../integration/helpers/api-clients';
import { startConsole, type ConsoleHarness } from './helpers/console';

let harness: ConsoleHarness;
let api: TransportClient;

beforeAll(async () => {
  harness = await startConsole({ workers: 1 });
  const url = new URL(harness.url);
  api = await webSocketClient(url.origin, url.searchParams.get('token')!);
});
afterAll(async () => {
  api?.close();
  await harness?.close();
});

describe('job controls in the console', () => {
  it('cancels a running job from its detail panel', async () => {
    const added = await api.client.queues.add({
      queue: 'shell',
      name: 'long-sleep',
      data: { command: ['sleep', '600'] },
    });
    const { page, context } = await harness.open({
      path: `#/jobs?queue=shell&state=active&job=${added.id}`,
    });
    try {
      const panel = page.locator(`section.detail[data-job-id="${added.id}"]`);
      const cancel = panel.getByRole('button', { name: 'Cancel job' });
      await cancel.waitFor({ timeout: 30_000 });
      await harness.screenshot(page, 'job-cancel-active');
      await cancel.click();
      await panel
        .getByRole('status')
        .filter({ hasText: 'was cancelled; it is now failed' })
        .waitFor({ timeout: 10_000 });
      const job = await api.client.queues.job({ queue: 'shell', id: added.id });
      expect(job.state).toBe('failed');
      expect(job.failedReason).toBe('cancelled by user');
      await harness.screenshot(page, 'job-cancel-done');
    } finally {
      await context.close();
    }
  });

  it('sets a queue’s limits from its card and shows them there', async () => {
    const { page, context } = await harness.open({ path: '#/queues' });
    try {
      const card = page.locator('[data-queue="http"]');
      await card.waitFor({ timeout: 30_000 });
      await card.getByRole('button', { name: 'Limits…' }).click();
      const dialog = page.getByRole('dialog', { name: 'Limits of queue http' });
      await dialog.getByLabel('Most jobs running at once').fill('2');
      await dialog.getByLabel('Most jobs started').fill('10');
      // Half a rate limit is refused, naming what is missing.
      await dialog.getByRole('alert').filter({ hasText: 'needs both' }).waitFor();
      await dialog.getByLabel('Per (milliseconds)').fill('1000');
      await harness.screenshot(page, 'queue-limits-dialog');
      await dialog.getByRole('button', { name: 'Save limits' }).click();
      await dialog.waitFor({ state: 'hidden' });
      await expect
        .poll(async () => card.getByTestId('queue-limits').textContent(), { timeout: 10_000 })
        .toMatch(/At most 2 at once · 10 per 1(\.0)? ?s/);
      expect(await api.client.controls.limits()).toContainEqual({
        queue: 'http',
        concurrency: 2,
        rateLimit: { max: 10, durationMs: 1000 },
      });
      await harness.screenshot(page, 'queue-limits-card');
    } finally {
      await context.close();
    }
    const ja = await harness.open({ path: '#/queues', locale: 'ja-JP' });
    try {
      await ja.page
        .locator('[data-queue="http"] [data-testid="queue-limits"]')
        .waitFor({ timeout: 30_000 });
      await harness.screenshot(ja.page, 'queue-limits-card-ja');
    } finally {
      await ja.context.close();
    }
  });

  it('searches jobs by a data field and opens a result', async () => {
    const ids: string[] = [];
    for (let n = 0; n < 20; n += 1) {
      const added = await api.client.queues.add({
        queue: 'echo',
        name: 'order',
        data: { customer: { id: n === 13 ? 'c-lucky' : `c-${n}` }, n },
      });
      ids.push(added.id);
    }
    await expect
      .poll(async () => (await api.client.queues.job({ queue: 'echo', id: ids.at(-1)! })).state, {
        timeout: 20_000,
      })
      .toBe('completed');
    const { page, context } = await harness.open({ path: '#/search?queue=echo&state=completed' });
    try {
      await page.getByLabel('Match').selectOption('path');
      await page.getByLabel('Field path').fill('customer.id');
      await page.getByLabel('Value (JSON)').fill('"c-lucky"');
      await page.getByRole('button', { name: 'Search' }).click();
      await page
        .getByTestId('search-status')
        .getByText(/^Done: 1 found/)
        .waitFor({ timeout: 20_000 });
      await harness.screenshot(page, 'search-results');
      await page.locator(`tr[data-result="${ids[13]}"] a`).click();
      await page.locator(`section.detail[data-job-id="${ids[13]}"]`).waitFor({ timeout: 10_000 });
    } finally {
      await context.close();
    }
  });
});
