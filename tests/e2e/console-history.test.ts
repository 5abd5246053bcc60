/**
 * The kept history in the browser console: with two hours of history on disk (written through
 * the store, as the recorder writes it), the Dashboard's charts are full right after the page
 * loads — far more points than live ticks could bring — the time-range selector changes the span
 * drawn, and a worker's own page (Workers → the worker) charts its CPU and memory from the same
 * history. Screenshots go to tests/artifacts/screenshots.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HistoryStore, historyFolder, type HistoryFrame } from '../../main/history';
import { startConsole, type ConsoleHarness } from './helpers/console';

let harness: ConsoleHarness;
const HOUR = 3_600_000;

function frame(at: number, i: number): HistoryFrame {
  const wave = Math.sin(i / 40);
  return {
    at,
    host: { cpuPercent: 30 + 20 * wave, memoryUsedBytes: 3e9 + 5e8 * wave, memoryTotalBytes: 8e9 },
    containers: [
      { name: 'redis', pool: 'redis', cpuPercent: 1, memoryBytes: 8e6 },
      {
        name: 'worker-1',
        pool: 'worker',
        cpuPercent: 40 + 30 * wave,
        memoryBytes: 1.2e8 + 2e7 * wave,
      },
      { name: 'worker-2', pool: 'worker', cpuPercent: 10, memoryBytes: 9e7 },
    ],
    queues: [{ name: 'echo', completedPerSec: 5 + 4 * wave, failedPerSec: wave > 0.8 ? 1 : 0 }],
  };
}

/** Points drawn by the first chart (host CPU), and the span across its x axis in seconds. */
async function cpuChart(page: Page) {
  const chart = page.locator('figure.chart').first();
  return {
    points: Number(await chart.getAttribute('data-points')),
    window: Number(await chart.getAttribute('data-window')),
    firstAt: Number(await chart.getAttribute('data-first-at')) * 1000,
  };
}

beforeAll(async () => {
  harness = await startConsole({ workers: 2 });
  const store = await HistoryStore.open(historyFolder(harness.cluster.home, harness.cluster.name));
  const end = Date.now() - 10_000;
  let i = 0;
  for (let at = end - 2 * HOUR; at <= end; at += 5_000) await store.append(frame(at, i++));
}, 300_000);
afterAll(async () => {
  await harness?.close();
});

describe('history in the console', () => {
  it('draws the kept hour at once on load, and the range selector changes the span', async () => {
    const { page, context } = await harness.open({ path: '#/dashboard' });
    await page.getByRole('group', { name: 'Time range' }).waitFor();
    // 5 s points over the last hour: hundreds of points within seconds of loading.
    await expect
      .poll(async () => (await cpuChart(page)).points, { timeout: 5_000 })
      .toBeGreaterThan(600);
    expect((await cpuChart(page)).window).toBe(3_600);
    await harness.screenshot(page, 'history-dashboard-1h');

    await page.getByRole('button', { name: '15 min' }).click();
    await expect.poll(async () => (await cpuChart(page)).window).toBe(900);
    await expect
      .poll(async () => (await cpuChart(page)).firstAt)
      .toBeGreaterThan(Date.now() - 16 * 60_000);

    await page.getByRole('button', { name: '24 hours' }).click();
    await expect.poll(async () => (await cpuChart(page)).window).toBe(86_400);
    await expect
      .poll(async () => (await cpuChart(page)).firstAt)
      .toBeLessThan(Date.now() - 100 * 60_000);
    await harness.screenshot(page, 'history-dashboard-24h');

    // The choice is kept across a reload.
    await page.reload();
    await expect.poll(async () => (await cpuChart(page)).window).toBe(86_400);
    await page.getByRole('button', { name: '1 hour' }).click();
    await context.close();
  });

  it('opens a worker from the Workers page with its own CPU and memory charts', async () => {
    const { page, context } = await harness.open({ path: '#/workers' });
    await page.getByRole('link', { name: 'worker-1', exact: true }).click();
    const detail = page.getByRole('region', { name: 'Worker worker-1' });
    await detail.waitFor();
    await expect
      .poll(
        async () =>
          Number(await detail.locator('figure.chart').first().getAttribute('data-points')),
        {
          timeout: 5_000,
        },
      )
      .toBeGreaterThan(600);
    expect(await detail.locator('figure.chart canvas').count()).toBe(2);
    await harness.screenshot(page, 'history-worker-detail');
    await context.close();

    const ja = await harness.open({ locale: 'ja-JP', path: '#/workers?worker=worker-1' });
    await ja.page.getByRole('region', { name: 'ワーカー worker-1' }).waitFor();
    await ja.page.waitForTimeout(1_500);
    await harness.screenshot(ja.page, 'history-worker-detail-ja');
    await ja.context.close();
  });
});
