/**
 * The setup wizard's starting templates in the browser console, on a true first launch against
 * the real engine: the Configure step offers them, refuses a Celery image that is not an image
 * reference at its field, and with "Celery workers" and the example Celery image the cluster it
 * creates runs the Celery pool beside the default pool, whose smoke job still completes.
 * Screenshots of the step in English and Japanese.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CELERY_IMAGE } from '../integration/helpers/celery-pool';
import { clusterContainers } from '../integration/helpers/test-cluster';
import { startConsole, type ConsoleHarness } from './helpers/console';

let harness: ConsoleHarness;

async function atStep(page: Page, step: string, status?: string, timeout = 30_000) {
  const selector = status
    ? `.panel[data-step="${step}"][data-status="${status}"]`
    : `.panel[data-step="${step}"]`;
  await page.waitForSelector(selector, { timeout });
}

const next = (page: Page) => page.getByTestId('wizard-next').click();

beforeAll(async () => {
  harness = await startConsole({ workers: 1, firstLaunch: true });
});
afterAll(async () => {
  await harness?.close();
});

describe('wizard: starting templates', () => {
  it('creates a cluster with the Celery template: the Celery pool runs beside the default', async () => {
    const { cluster } = harness;
    const { page, context } = await harness.open({ path: '#/setup' });
    try {
      await atStep(page, 'welcome');
      await next(page);
      await atStep(page, 'engine', 'done');
      await next(page);
      await atStep(page, 'resources', 'done');
      await next(page);
      await atStep(page, 'configure');
      await page.locator('#cfg-name').fill(cluster.name);
      await page.locator('#cfg-port').fill(String(cluster.port));
      await page.locator('#cfg-workers').fill('1');
      await expect
        .poll(() => page.locator('#cfg-port-state').textContent(), { timeout: 10_000 })
        .toContain(String(cluster.port));

      // The default stays: no template chosen.
      expect(await page.getByRole('radio', { name: /^None/ }).isChecked()).toBe(true);
      for (const name of [/^CLI\/shell tasks with extra tools/, /^Celery workers/, /^Custom image/])
        await page.getByRole('radio', { name }).waitFor();

      await page.getByRole('radio', { name: /^Celery workers/ }).check();
      await page.locator('#cfg-template-image').fill('My Celery');
      await expect
        .poll(() => page.locator('#cfg-template-image-hint').textContent())
        .toContain('Not an image reference');
      await next(page);
      await atStep(page, 'configure'); // not saved: still here
      expect((await cluster.core.settings.load()).settings.cluster.pools).toEqual({});

      await page.locator('#cfg-template-image').fill(CELERY_IMAGE);
      await harness.screenshot(page, 'wizard-templates-configure');
      await next(page);
      await atStep(page, 'provision', 'pending');
      const { settings } = await cluster.core.settings.load();
      expect(Object.keys(settings.cluster.pools)).toEqual(['celery']);
      expect(settings.cluster.pools.celery).toMatchObject({
        image: CELERY_IMAGE,
        command: ['celery', '-A', 'tasks', 'worker', '-Q', 'celery', '--loglevel=INFO'],
        watch: { celery: ['celery'] },
      });
      expect(settings.cluster.workers.replicas).toBe(1);

      await page.getByTestId('provision-create').click();
      await atStep(page, 'provision', 'done', 180_000);
      await next(page);
      await atStep(page, 'smoke', 'done', 60_000);

      const containers = await clusterContainers(cluster.name);
      const names = containers.map((c) => c.Names[0]!.replace(/^\//, '')).sort();
      expect(names).toEqual(
        [`${cluster.name}-celery-1`, `${cluster.name}-redis-1`, `${cluster.name}-worker-1`].sort(),
      );
      expect(containers.every((c) => c.State === 'running')).toBe(true);
    } finally {
      await context.close();
    }
  });

  it('speaks Japanese', async () => {
    const { page, context } = await harness.open({ locale: 'ja-JP', path: '#/setup' });
    try {
      await atStep(page, 'welcome');
      await next(page);
      await atStep(page, 'engine', 'done');
      await next(page);
      await atStep(page, 'resources', 'done');
      await next(page);
      await atStep(page, 'configure');
      await page.getByRole('radio', { name: /^追加ツール付きの CLI\/シェルタスク/ }).check();
      expect(await page.textContent('body')).toContain('開始テンプレート');
      await harness.screenshot(page, 'wizard-templates-configure-ja');
    } finally {
      await context.close();
    }
  });
});
