/**
 * The console's Queues, Jobs and Logs pages against a real cluster in the real browser console:
 * the built-in queues with their counts, an echo job added from the UI completing with its
 * result, a failing shell job retried from its detail panel (it runs again, attempts go up), and
 * live worker logs with the container filter. Screenshots of each page in light, dark and
 * Japanese go to tests/artifacts/screenshots.
 */
import fs from 'node:fs/promises';
import { Queue } from 'bullmq';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { webSocketClient, type TransportClient } from '../integration/helpers/api-clients';
import { connectionFromUrl } from '../integration/helpers/cluster-jobs-kit';
import { startConsole, type ConsoleHarness } from './helpers/console';

let harness: ConsoleHarness;
let api: TransportClient;
let failingJobId = '';

const BUILTINS = ['shell', 'http', 'echo', 'sleep'];

/** Adds a job through the queue card's "Add job" dialog and returns the new job's id. */
async function addJobFromUi(page: Page, queue: string, data: unknown): Promise<string> {
  await page.goto(page.url().replace(/#.*$/, '#/queues'));
  const card = page.locator(`[data-queue="${queue}"]`);
  await card.waitFor({ timeout: 30_000 });
  await card.getByRole('button', { name: 'Add job' }).click();
  const dialog = page.getByRole('dialog', { name: 'Add a job' });
  await dialog.waitFor();
  expect(await dialog.getByLabel('Queue').inputValue()).toBe(queue);
  await dialog.getByLabel('Data (JSON)').fill(JSON.stringify(data, null, 2));
  await dialog.getByText('Valid JSON').waitFor();
  await dialog.getByRole('button', { name: 'Add job' }).click();
  const link = dialog.getByRole('link', { name: /^Open job / });
  await link.waitFor({ timeout: 20_000 });
  const id = (await link.textContent())!.replace('Open job', '').trim();
  await link.click();
  await dialog.waitFor({ state: 'hidden' });
  return id;
}

/** The detail panel of the open job. */
function detailPanel(page: Page, id: string) {
  return page.locator(`section.detail[data-job-id="${id}"]`);
}

beforeAll(async () => {
  harness = await startConsole({ workers: 2 });
  const url = new URL(harness.url);
  api = await webSocketClient(url.origin, url.searchParams.get('token')!);
  // Some history so the pages have something to show: delayed jobs and a custom queue.
  await api.client.queues.add({ queue: 'sleep', data: { ms: 10 }, options: { delay: 600_000 } });
  await api.client.queues.add({ queue: 'reports', name: 'monthly', data: { month: 11 } });
  for (let i = 0; i < 6; i++)
    await api.client.queues.add({ queue: 'echo', name: `warmup-${i}`, data: { i } });
});
afterAll(async () => {
  api?.close();
  await harness?.close();
});

describe('queues page', () => {
  it('shows the built-in queues with their counts, throughput and workers', async () => {
    const { page, context } = await harness.open({ path: '#/queues' });
    for (const queue of BUILTINS) await page.locator(`[data-queue="${queue}"]`).waitFor();
    // Counts are the queue's real counts: the delayed sleep job, the custom queue's waiting job.
    const sleep = page.locator('[data-queue="sleep"]');
    await expect
      .poll(() => sleep.locator('[data-state="delayed"] .value').textContent(), { timeout: 20_000 })
      .toBe('1');
    const reports = page.locator('[data-queue="reports"]');
    expect(await reports.locator('[data-state="waiting"] .value').textContent()).toBe('1');
    // Built-in queues are consumed by both workers; the custom one by none.
    await expect
      .poll(() => page.locator('[data-queue="echo"]').textContent(), { timeout: 20_000 })
      .toContain('2 attached');
    expect(await reports.textContent()).toContain('No worker consumes this queue');
    // Each count links to that state's jobs.
    expect(await sleep.locator('[data-state="delayed"]').getAttribute('href')).toBe(
      '#/jobs?queue=sleep&state=delayed',
    );
    await expect
      .poll(
        () => page.locator('[data-queue="echo"] [data-state="completed"] .value').textContent(),
        {
          timeout: 30_000,
        },
      )
      .toBe('6');
    await harness.screenshot(page, 'queues-light');
    await context.close();
  });

  it('asks before cleaning and says what it will delete', async () => {
    const { page, context } = await harness.open({ path: '#/queues' });
    const sleep = page.locator('[data-queue="sleep"]');
    await sleep.waitFor();
    await sleep.getByRole('button', { name: 'Clean…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Clean queue sleep' });
    await dialog.getByLabel('Jobs in state').selectOption('delayed');
    expect(await dialog.getByRole('status').textContent()).toContain(
      'This permanently deletes up to 1,000 delayed jobs of any age from queue sleep. Jobs in this state now: 1.',
    );
    await harness.screenshot(page, 'queues-clean-light');
    // Esc closes the dialog without deleting anything.
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
    expect((await api.client.queues.counts({ queue: 'sleep' })).counts.delayed).toBe(1);
    await context.close();
  });
});

describe('add-job dialog', () => {
  it('shows JSON and processor errors before submitting', async () => {
    const { page, context } = await harness.open({ path: '#/queues' });
    await page.locator('[data-queue="shell"]').getByRole('button', { name: 'Add job' }).click();
    const dialog = page.getByRole('dialog', { name: 'Add a job' });
    const editor = dialog.getByLabel('Data (JSON)');
    await editor.fill('{\n  "command": ["echo", "hi"]\n  "cwd": "/tmp"\n}');
    await dialog.getByText('Line 3, column 3: expected “,” or “}” after the value').waitFor();
    expect(await dialog.getByRole('button', { name: 'Add job' }).isDisabled()).toBe(true);
    await harness.screenshot(page, 'queues-add-job-light');
    await editor.fill('{ "cwd": "/tmp" }');
    await dialog.getByText('expected a non-empty array of strings', { exact: false }).waitFor();
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await context.close();
  });
});

describe('jobs page', () => {
  it('adds an echo job from the UI and shows it under Completed with its result', async () => {
    const { page, context } = await harness.open({ path: '#/queues' });
    const message = `hello from e2e ${Date.now()}`;
    const id = await addJobFromUi(page, 'echo', { message });
    expect(page.url()).toContain(`#/jobs?queue=echo`);
    await detailPanel(page, id).waitFor({ timeout: 20_000 });

    await page.getByRole('tab', { name: /^Completed/ }).click();
    await page.locator(`.rows [data-job-id="${id}"]`).waitFor({ timeout: 30_000 });
    const detail = detailPanel(page, id);
    await expect
      .poll(() => detail.locator('.meta').textContent(), { timeout: 20_000 })
      .toContain('Completed');
    await detail.getByRole('tab', { name: 'Result' }).click();
    const result = JSON.parse((await detail.getByRole('tabpanel').locator('pre').textContent())!);
    expect(result).toEqual({ message });
    await context.close();
  });

  it('shows a failing shell job under Failed and retries it from its detail panel', async () => {
    const { page, context } = await harness.open({ path: '#/queues' });
    const id = await addJobFromUi(page, 'shell', { command: ['sh', '-c', 'exit 3'] });
    failingJobId = id;
    await page.getByRole('tab', { name: /^Failed/ }).click();
    const row = page.locator(`.rows [data-job-id="${id}"]`);
    await row.waitFor({ timeout: 30_000 });
    await row.click();
    const detail = detailPanel(page, id);
    await expect
      .poll(() => detail.getByTestId('attempts').textContent(), { timeout: 20_000 })
      .toBe('Attempts 1 of 1');
    await detail.getByRole('tab', { name: 'Error' }).click();
    expect(await detail.getByTestId('failed-reason').textContent()).toMatch(/3/);

    await detail.getByRole('button', { name: 'Retry' }).click();
    await detail.getByText(`Job ${id} will run again.`).waitFor();
    // It runs again and fails again: one more attempt, back in Failed.
    await expect
      .poll(() => detail.getByTestId('attempts').textContent(), { timeout: 30_000 })
      .toBe('Attempts 2 of 1');
    await expect
      .poll(() => detail.locator('.meta').textContent(), { timeout: 20_000 })
      .toContain('Failed');
    const job = await api.client.queues.job({ queue: 'shell', id });
    expect(job.attemptsMade).toBe(2);
    expect(job.state).toBe('failed');
    await page.waitForTimeout(500);
    await harness.screenshot(page, 'jobs-light');
    await context.close();
  });

  it('finds a job by id and filters by name', async () => {
    const { page, context } = await harness.open({ path: '#/jobs?queue=echo&state=completed' });
    await page.locator('.rows [data-job-id]').first().waitFor({ timeout: 20_000 });
    await page.getByLabel('Filter by name').fill('warmup-3');
    await expect
      .poll(() => page.locator('.rows [data-job-id]').count(), { timeout: 10_000 })
      .toBe(1);
    expect(page.url()).toContain('name=warmup-3');

    // Ids count per queue: find looks in the queue shown first, then in every queue, and
    // opens the job in the state it is in.
    await page.goto(page.url().replace(/#.*$/, '#/jobs?queue=reports&state=completed'));
    await page.getByText('No completed jobs in reports').waitFor({ timeout: 10_000 });
    const reportsJob = (await api.client.queues.jobs({ queue: 'reports', state: 'waiting' }))
      .jobs[0]!;
    await page.getByLabel('Find by id').fill(reportsJob.id);
    await page.getByRole('button', { name: 'Open', exact: true }).click();
    await detailPanel(page, reportsJob.id).waitFor({ timeout: 10_000 });
    expect(page.url()).toContain(`queue=reports&state=waiting&job=${reportsJob.id}`);
    await page.locator(`.rows [data-job-id="${reportsJob.id}"]`).waitFor({ timeout: 10_000 });

    await page.getByLabel('Find by id').fill('no-such-job');
    await page.getByRole('button', { name: 'Open', exact: true }).click();
    await page.getByText('No job with id no-such-job in any queue.').waitFor();
    await context.close();
  });
});

describe('jobs list at scale', () => {
  it('pages through 100,000 waiting jobs rendering only the rows in view', async () => {
    const connection = connectionFromUrl(await harness.cluster.core.cluster.connectionUrl());
    // No worker consumes this queue, so all 100,000 jobs stay waiting.
    const bulk = new Queue('bulk', { connection });
    try {
      for (let start = 0; start < 100_000; start += 5_000) {
        await bulk.addBulk(
          Array.from({ length: 5_000 }, (_, i) => ({ name: 'load', data: { n: start + i } })),
        );
      }
    } finally {
      await bulk.close();
    }
    const { page, context } = await harness.open({ path: '#/jobs?queue=bulk&state=waiting' });
    await page.getByText('100,000 jobs').waitFor({ timeout: 30_000 });
    await page.locator('.rows [data-job-id="100000"]').waitFor({ timeout: 20_000 });
    expect(await page.locator('.rows .row').count()).toBeLessThan(60);

    // Jump to the middle: the rows there arrive quickly and the DOM stays small.
    const started = Date.now();
    await page.locator('.viewport').evaluate((el) => (el.scrollTop = 36 * 50_000));
    await page.locator('.rows [data-job-id="50000"]').waitFor({ timeout: 10_000 });
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(await page.locator('.rows .row').count()).toBeLessThan(60);

    // Keyboard: End goes to the last job (the oldest), Enter opens it.
    await page.getByRole('grid').focus();
    await page.keyboard.press('End');
    await page.locator('.rows [data-job-id="1"]').waitFor({ timeout: 10_000 });
    await page.keyboard.press('Enter');
    await detailPanel(page, '1').waitFor({ timeout: 10_000 });
    expect(page.url()).toContain('queue=bulk&state=waiting&job=1');
    await context.close();
  });
});

describe('logs page', () => {
  it('shows live worker lines and filters them by container', async () => {
    const { page, context } = await harness.open({ path: '#/logs' });
    await page.locator('.line[data-target="worker-1"]').first().waitFor({ timeout: 30_000 });
    await page.locator('.line[data-target="worker-2"]').first().waitFor({ timeout: 30_000 });
    await page.locator('.line[data-target="redis"]').first().waitFor({ timeout: 30_000 });

    await page.locator('button[data-container="worker-1"]').click();
    await expect
      .poll(() => page.locator('.line[data-target="worker-1"]').count(), { timeout: 10_000 })
      .toBe(0);
    expect(await page.locator('.line[data-target="worker-2"]').count()).toBeGreaterThan(0);
    expect(page.url()).toContain('#/logs?container=redis%2Cworker-2');
    expect(
      await page.locator('button[data-container="worker-1"]').getAttribute('aria-pressed'),
    ).toBe('false');

    // Search highlights matches in the remaining lines.
    await page.getByLabel('Search logs').fill('redis');
    await page.locator('.line mark').first().waitFor({ timeout: 10_000 });
    await page.getByLabel('Search logs').fill('');
    await page.locator('button[data-container="worker-1"]').click();
    await page.locator('.line[data-target="worker-1"]').first().waitFor({ timeout: 10_000 });

    // Download saves the buffer as a .log file: one line per log line, with time and container.
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Download' }).click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/^guildhall-logs-[\d-]+\.log$/);
    const saved = await fs.readFile((await download.path())!, 'utf8');
    expect(saved).toMatch(/^\d{4}-\d\d-\d\dT[\d:.]+Z worker-1 stdout .*ready/m);
    expect(saved).toMatch(/^\d{4}-\d\d-\d\dT[\d:.]+Z redis stdout /m);
    await harness.screenshot(page, 'logs-light');
    await context.close();
  });

  it('opens on one container from the route', async () => {
    const { page, context } = await harness.open({ path: '#/logs?container=worker-2' });
    await page.locator('.line[data-target="worker-2"]').first().waitFor({ timeout: 30_000 });
    expect(await page.locator('.line[data-target="worker-1"]').count()).toBe(0);
    expect(await page.locator('.line[data-target="redis"]').count()).toBe(0);
    await context.close();
  });
});

describe('screenshots in dark and Japanese', () => {
  const pages = [
    { name: 'queues', path: '#/queues', ready: '[data-queue="echo"] [data-state="completed"]' },
    {
      name: 'jobs',
      path: () => `#/jobs?queue=shell&state=failed&job=${failingJobId}`,
      ready: 'section.detail [role="tabpanel"]',
    },
    { name: 'logs', path: '#/logs', ready: '.line[data-target="worker-2"]' },
  ];

  it.each(pages)('$name', async ({ name, path, ready }) => {
    const route = typeof path === 'function' ? path() : path;
    const dark = await harness.open({ theme: 'dark', path: route });
    await dark.page.locator(ready).first().waitFor({ timeout: 30_000 });
    await dark.page.waitForTimeout(1_500);
    await harness.screenshot(dark.page, `${name}-dark`);
    await dark.context.close();

    const ja = await harness.open({ locale: 'ja-JP', path: route });
    await ja.page.locator(ready).first().waitFor({ timeout: 30_000 });
    await expect.poll(() => ja.page.textContent('nav')).toContain('キュー');
    await ja.page.waitForTimeout(1_500);
    await harness.screenshot(ja.page, `${name}-light-ja`);
    await ja.context.close();
  });
});
