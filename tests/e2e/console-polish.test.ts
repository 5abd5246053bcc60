/**
 * What a new user noticed in the browser console (issue 12), against a real cluster:
 *  - the dashboard's host charts draw the minutes before a page load at once (the server's
 *    monitor keeps its history across pages), not an empty chart filling up;
 *  - long log lines wrap inside the viewer instead of running off its right edge, and a worker's
 *    warning is drawn in the warning colour, not in the error red, in both themes;
 *  - failed jobs list their failure reason;
 *  - desktop-only settings (open at login, what quitting does) are not offered here;
 *  - the page has a favicon, served by the console and allowed by its CSP.
 * Screenshots in light, dark and Japanese go to tests/artifacts/screenshots.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { webSocketClient, type TransportClient } from '../integration/helpers/api-clients';
import { repoRoot } from '../integration/helpers/test-cluster';
import { startConsole, type ConsoleHarness } from './helpers/console';

let harness: ConsoleHarness;
let api: TransportClient;

/** A cwd no worker has: the shell job fails with a long reason, which the worker logs as a warning. */
const MISSING_DIR = `/guildhall-e2e/${'a-folder-that-is-not-there-'.repeat(12)}end`;

beforeAll(async () => {
  harness = await startConsole({ workers: 1 });
  const url = new URL(harness.url);
  api = await webSocketClient(url.origin, url.searchParams.get('token')!);
});
afterAll(async () => {
  api?.close();
  await harness?.close();
});

const CPU = 'Host CPU';
const THROUGHPUT = 'Jobs finished per second';

async function chartPoints(
  page: Page,
  chart: string,
): Promise<{ points: number; firstAt: number }> {
  const figure = page.locator(`figure.chart[aria-label="${chart}"]`);
  return {
    points: Number(await figure.getAttribute('data-points')),
    firstAt: Number(await figure.getAttribute('data-first-at')) * 1000,
  };
}

describe('dashboard charts', () => {
  it('draw the history from before the page loaded, at once', async () => {
    // Someone watched the dashboard for a while, then left.
    const first = await harness.open();
    await expect
      .poll(async () => (await chartPoints(first.page, CPU)).points, { timeout: 30_000 })
      .toBeGreaterThanOrEqual(6);
    await expect
      .poll(async () => (await chartPoints(first.page, THROUGHPUT)).points, { timeout: 30_000 })
      .toBeGreaterThanOrEqual(2);
    await first.context.close();

    // A fresh page load: the charts' first drawn points are from before it loaded.
    const loadedAt = Date.now();
    for (const theme of ['light', 'dark'] as const) {
      const { page, context } = await harness.open({ theme });
      await page.waitForFunction(
        (label) =>
          Number(
            document.querySelector<HTMLElement>(`figure.chart[aria-label="${label}"]`)?.dataset
              .points,
          ) > 0,
        CPU,
      );
      const drawn = await chartPoints(page, CPU);
      expect(drawn.points).toBeGreaterThanOrEqual(6);
      expect(drawn.firstAt).toBeLessThan(loadedAt - 4_000);
      // Jobs per second too: the server kept what the first page's readings gave.
      await page.waitForFunction(
        (label) =>
          Number(
            document.querySelector<HTMLElement>(`figure.chart[aria-label="${label}"]`)?.dataset
              .points,
          ) > 0,
        THROUGHPUT,
      );
      const rates = await chartPoints(page, THROUGHPUT);
      expect(rates.points).toBeGreaterThanOrEqual(2);
      expect(rates.firstAt).toBeLessThan(loadedAt);
      await page
        .locator('section[aria-labelledby="cluster-panel-title"]', { hasText: 'Running' })
        .waitFor();
      await harness.screenshot(page, `polish-dashboard-history-${theme}`);
      await context.close();
    }
  });
});

describe('logs', () => {
  it('wraps long lines inside the viewer and draws warnings in their own colour', async () => {
    const added = await api.client.queues.add({
      queue: 'shell',
      data: { command: ['true'], cwd: MISSING_DIR },
    });
    for (const theme of ['light', 'dark'] as const) {
      const { page, context } = await harness.open({ theme, path: '#/logs' });
      const line = page.locator('.line[data-level="warn"]', { hasText: `#${added.id} failed` });
      await line.first().waitFor({ timeout: 60_000 });
      const geometry = await line.first().evaluate((element) => {
        const viewport = element.closest('.viewport')!;
        const text = element.querySelector('.text')!;
        const box = text.getBoundingClientRect();
        const frame = viewport.getBoundingClientRect();
        return {
          lineHeight: element.getBoundingClientRect().height,
          textRight: box.right,
          viewportRight: frame.right,
          textOverflows: text.scrollWidth > text.clientWidth + 1,
          viewportScrollsSideways: viewport.scrollWidth > viewport.clientWidth + 1,
        };
      });
      // The whole line is visible: wrapped onto several 20 px rows, nothing past the right edge.
      expect(geometry.lineHeight).toBeGreaterThanOrEqual(40);
      expect(geometry.textRight).toBeLessThanOrEqual(geometry.viewportRight);
      expect(geometry.textOverflows).toBe(false);
      expect(geometry.viewportScrollsSideways).toBe(false);
      expect(await line.first().textContent()).toContain('a-folder-that-is-not-there-end');
      // Lines not drawn yet are sized from the viewer's probe (text column width, cell width):
      // for this line the estimate is the number of rows the browser drew.
      const rows = await line.first().evaluate((element) => {
        const viewport = element.closest('.viewport')!;
        const cell = viewport.querySelector('.probe .cells')!.getBoundingClientRect().width / 100;
        const width = (viewport.querySelector('.probe .text') as HTMLElement).clientWidth;
        const text = element.querySelector('.text')!.textContent!;
        return {
          estimated: Math.ceil(text.length / Math.floor(width / cell)),
          drawn: Math.round(element.getBoundingClientRect().height / 20),
        };
      });
      expect(rows.estimated).toBe(rows.drawn);

      // The warning's marker is the theme's warning colour, not the error red.
      const colours = await line.first().evaluate((element) => {
        const probe = document.createElement('span');
        document.body.append(probe);
        const resolve = (name: string) => {
          probe.style.color = `var(${name})`;
          return getComputedStyle(probe).color;
        };
        const result = {
          marker: getComputedStyle(element).borderLeftColor,
          warn: resolve('--warn'),
          danger: resolve('--danger'),
        };
        probe.remove();
        return result;
      });
      expect(colours.marker).toBe(colours.warn);
      expect(colours.marker).not.toBe(colours.danger);
      await harness.screenshot(page, `polish-logs-wrap-${theme}`);
      await context.close();
    }
  });
});

describe('failed jobs', () => {
  it('list why each job failed', async () => {
    const failed = await api.client.queues.add({
      queue: 'shell',
      data: { command: ['sh', '-c', 'exit 3'] },
    });
    await expect
      .poll(async () => (await api.client.queues.job({ queue: 'shell', id: failed.id })).state, {
        timeout: 60_000,
      })
      .toBe('failed');
    for (const run of [
      { theme: 'light' as const, locale: 'en-US', header: 'Failure reason' },
      { theme: 'dark' as const, locale: 'en-US', header: 'Failure reason' },
      { theme: 'light' as const, locale: 'ja-JP', header: '失敗の理由' },
    ]) {
      const { page, context } = await harness.open({
        ...run,
        path: '#/jobs?queue=shell&state=failed',
      });
      const grid = page.getByRole('grid');
      await grid.getByRole('columnheader', { name: run.header }).waitFor({ timeout: 20_000 });
      const row = grid.locator(`[data-job-id="${failed.id}"]`);
      await row.waitFor();
      await expect.poll(() => row.textContent()).toContain('command exited with code 3');
      await harness.screenshot(page, `polish-jobs-failed-${run.theme}-${run.locale}`);
      await context.close();
    }
  });
});

describe('browser console', () => {
  it('leaves out the desktop-only settings and says where they are set', async () => {
    for (const run of [
      { theme: 'light' as const, locale: 'en-US', note: /desktop app/ },
      { theme: 'dark' as const, locale: 'en-US', note: /desktop app/ },
      { theme: 'light' as const, locale: 'ja-JP', note: /デスクトップアプリ/ },
    ]) {
      const { page, context } = await harness.open({ ...run, path: '#/settings' });
      const note = page.getByTestId('desktop-only-note');
      await note.waitFor({ timeout: 20_000 });
      expect(await note.textContent()).toMatch(run.note);
      expect(await page.locator('#set-startAtLogin').count()).toBe(0);
      expect(await page.locator('#set-startClusterOnLaunch').count()).toBe(0);
      expect(await page.locator('#set-quit').count()).toBe(0);
      expect(await page.locator('#set-language').count()).toBe(1);
      await harness.screenshot(page, `polish-settings-${run.theme}-${run.locale}`);
      await context.close();
    }
  });

  it('has a favicon: the app icon, served by the console and allowed by its CSP', async () => {
    const { page, context } = await harness.open();
    const link = page.locator('link[rel="icon"]');
    expect(await link.count()).toBe(1);
    const href = await link.evaluate((element) => (element as HTMLLinkElement).href);
    expect(new URL(href).origin).toBe(new URL(harness.url).origin);
    const response = await page.request.get(href);
    expect(response.status()).toBe(200);
    expect(response.headers()['content-type']).toBe('image/png');
    const icon = fs.readFileSync(path.join(repoRoot, 'resources/icons/app/icon-256.png'));
    expect(Buffer.compare(await response.body(), icon)).toBe(0);
    // The page itself may load it (the CSP's img-src allows it): it decodes to the icon's size.
    const size = await page.evaluate(async (url) => {
      const image = new Image();
      image.src = url;
      await image.decode();
      return [image.naturalWidth, image.naturalHeight];
    }, href);
    expect(size).toEqual([256, 256]);
    await context.close();
  });
});
