/**
 * The console's shell, Dashboard, Workers and Settings pages against a real cluster in the real
 * browser console: real data on the dashboard, one row per worker container, scaling from the
 * UI changes the containers, and switching the language re-renders without a reload.
 * Screenshots of each page in light, dark and Japanese go to tests/artifacts/screenshots.
 */
import os from 'node:os';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { docker } from '../integration/helpers/test-cluster';
import { startConsole, type ConsoleHarness } from './helpers/console';

let harness: ConsoleHarness;

async function workerContainers(cluster: string, runningOnly = false) {
  const list = await docker.listContainers({
    all: !runningOnly,
    filters: { label: [`io.guildhall.cluster=${cluster}`, 'io.guildhall.service=worker'] },
  });
  return list;
}

/** Waits until the host charts have a few seconds of data and the worker heartbeats arrived. */
async function waitForLiveDashboard(page: Page) {
  await page.getByRole('heading', { level: 1 }).waitFor();
  await expect
    .poll(async () => page.locator('.chart .value').first().textContent(), { timeout: 30_000 })
    .toMatch(/\d/);
}

beforeAll(async () => {
  harness = await startConsole({ workers: 2 });
});
afterAll(async () => {
  await harness?.close();
});

describe('dashboard', () => {
  it('shows the running cluster with its real worker count, Redis and live host charts', async () => {
    const { page, context } = await harness.open({ path: '#/dashboard' });
    await waitForLiveDashboard(page);
    const panel = page.getByRole('region', { name: harness.cluster.name });
    await expect.poll(() => panel.textContent(), { timeout: 20_000 }).toContain('Running');
    await expect
      .poll(() => page.locator('.tiles').textContent(), { timeout: 20_000 })
      .toContain('2 of 2 up');
    // Redis details come from Redis itself (INFO): the AOF is on, as the cluster configures it.
    const redis = page.locator('section.card', {
      has: page.getByRole('heading', { name: 'Redis', exact: true }),
    });
    await expect.poll(() => redis.textContent(), { timeout: 20_000 }).toContain('Append-only file');
    expect(await redis.locator('dd').nth(4).textContent()).toContain('On');
    expect(await page.locator('.chart canvas').count()).toBe(3);
    expect(await page.textContent('body')).toContain(`Redis on 127.0.0.1:${harness.cluster.port}`);
    await page.waitForTimeout(4_000);
    await harness.screenshot(page, 'dashboard-light');
    await context.close();
  });

  it('renders in dark and in Japanese', async () => {
    const dark = await harness.open({ theme: 'dark', path: '#/dashboard' });
    await waitForLiveDashboard(dark.page);
    await dark.page.waitForTimeout(3_000);
    await harness.screenshot(dark.page, 'dashboard-dark');
    await dark.context.close();

    const ja = await harness.open({ locale: 'ja-JP', path: '#/dashboard' });
    await waitForLiveDashboard(ja.page);
    await expect.poll(() => ja.page.textContent('nav')).toContain('ダッシュボード');
    await expect
      .poll(() => ja.page.locator('.tiles').textContent(), { timeout: 20_000 })
      .toContain('2 台中 2 台が稼働');
    await ja.page.waitForTimeout(3_000);
    await harness.screenshot(ja.page, 'dashboard-light-ja');
    await ja.context.close();
  });
});

describe('workers', () => {
  it('shows one row per worker container, with heartbeat and stats', async () => {
    const containers = await workerContainers(harness.cluster.name);
    expect(containers.length).toBe(2);
    const { page, context } = await harness.open({ path: '#/workers' });
    const rows = page.locator('table tbody tr');
    await expect.poll(() => rows.count(), { timeout: 20_000 }).toBe(containers.length);
    // Heartbeat counters and engine stats arrive within a few seconds.
    await expect
      .poll(async () => rows.first().locator('td').nth(1).textContent(), { timeout: 20_000 })
      .toMatch(/Idle|Busy|#/);
    await expect
      .poll(async () => rows.first().locator('td').nth(5).textContent(), { timeout: 20_000 })
      .toMatch(/\d/);
    const names = await rows.locator('th .container').allTextContents();
    expect(names.sort()).toEqual(containers.map((c) => c.Names[0]!.replace(/^\//, '')).sort());
    await harness.screenshot(page, 'workers-light');
    await context.close();

    for (const [options, name] of [
      [{ theme: 'dark' as const }, 'workers-dark'],
      [{ locale: 'ja-JP' }, 'workers-light-ja'],
    ] as const) {
      const other = await harness.open({ ...options, path: '#/workers' });
      const otherRows = other.page.locator('table tbody tr');
      await expect.poll(() => otherRows.count(), { timeout: 20_000 }).toBe(2);
      await expect
        .poll(async () => otherRows.first().locator('td').nth(5).textContent(), { timeout: 20_000 })
        .toMatch(/\d/);
      await harness.screenshot(other.page, name);
      await other.context.close();
    }
  });

  it('scales the cluster from the worker-count control', async () => {
    const { page, context } = await harness.open({ path: '#/workers' });
    const rows = page.locator('table tbody tr');
    await expect.poll(() => rows.count(), { timeout: 20_000 }).toBe(2);
    const input = page.getByLabel('Number of workers');
    const apply = page.getByRole('button', { name: 'Apply' });
    expect(await apply.isDisabled()).toBe(true);
    await page.getByRole('button', { name: 'One worker more' }).click();
    expect(await input.inputValue()).toBe('3');
    expect(await apply.isDisabled()).toBe(false);
    await apply.click();
    await expect
      .poll(async () => (await workerContainers(harness.cluster.name, true)).length, {
        timeout: 120_000,
        interval: 1_000,
      })
      .toBe(3);
    await expect.poll(() => rows.count(), { timeout: 30_000 }).toBe(3);
    await expect.poll(() => input.inputValue()).toBe('3');
    expect(await apply.isDisabled()).toBe(true);
    await context.close();
  });
});

describe('worker actions', () => {
  it('restarts a worker, and opens its logs', async () => {
    const [target] = (await workerContainers(harness.cluster.name)).filter((c) =>
      c.Names[0]!.endsWith('-worker-2'),
    );
    const container = docker.getContainer(target!.Id);
    const before = (await container.inspect()).State.StartedAt;
    const { page, context } = await harness.open({ path: '#/workers' });
    await page.getByRole('button', { name: 'Restart worker-2' }).click();
    const notices = page.getByRole('region', { name: 'Notifications' });
    await expect
      .poll(() => notices.textContent(), { timeout: 60_000 })
      .toContain('Worker restarted');
    expect((await container.inspect()).State.StartedAt).not.toBe(before);
    const row = page.locator('table tbody tr', { hasText: 'worker-2' });
    await expect.poll(() => row.textContent(), { timeout: 20_000 }).toContain('Running');
    expect(await notices.textContent()).not.toMatch(/Worker restarted.*Worker restarted/);
    await harness.screenshot(page, 'workers-restarted-light');

    await page.getByRole('link', { name: 'Logs of worker-2' }).click();
    await expect.poll(() => page.evaluate(() => location.hash)).toBe('#/logs?container=worker-2');
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Logs');
    await context.close();
  });
});

describe('crash-looping worker', () => {
  it('stands out with its last exit code and that it ran out of memory', async () => {
    // Give worker 1 far too little memory: Node is OOM-killed at start, again and again.
    const [target] = (await workerContainers(harness.cluster.name)).filter((c) =>
      c.Names[0]!.endsWith('-worker-1'),
    );
    const container = docker.getContainer(target!.Id);
    const { HostConfig } = await container.inspect();
    await container.stop({ t: 1 });
    await container.update({ Memory: 6 * 1024 * 1024, MemorySwap: 6 * 1024 * 1024 });
    await container.start();
    try {
      const { page, context } = await harness.open({ path: '#/workers' });
      const row = page.locator('table tbody tr', { hasText: 'worker-1' });
      await expect
        .poll(() => row.textContent(), { timeout: 60_000, interval: 500 })
        .toContain('Crash-looping');
      await expect.poll(() => row.textContent(), { timeout: 30_000 }).toContain('Exit code 137');
      expect(await row.textContent()).toContain('out of memory');
      // The Workers page's own notice, and the alert banner the supervisor's rules raise.
      await expect
        .poll(() => page.getByRole('alert').allTextContents(), { timeout: 30_000 })
        .toEqual(expect.arrayContaining([expect.stringContaining('A worker keeps crashing.')]));
      await harness.screenshot(page, 'workers-crash-light');
      await context.close();
    } finally {
      await container.stop({ t: 1 }).catch(() => {});
      await container.update({ Memory: HostConfig.Memory, MemorySwap: HostConfig.MemorySwap });
      await container.start();
    }
    await expect
      .poll(async () => (await workerContainers(harness.cluster.name, true)).length, {
        timeout: 30_000,
      })
      .toBe(3);
  });
});

describe('settings', () => {
  it('validates fields, and switching to Japanese re-renders the console without a reload', async () => {
    const { page, context } = await harness.open({ path: '#/settings' });
    const workers = page.getByLabel('Workers', { exact: true });
    await workers.waitFor();
    await expect.poll(() => page.textContent('nav')).toContain('Running');
    await harness.screenshot(page, 'settings-light');

    await workers.fill('65');
    await expect
      .poll(() => page.textContent('form'))
      .toContain('Enter a whole number from 0 to 64.');
    expect(await page.getByRole('button', { name: 'Save' }).isDisabled()).toBe(true);
    await page.getByRole('button', { name: 'Discard' }).click();

    // A cluster setting: saved, then applied by recreating the workers.
    await page.getByLabel('Jobs per worker at a time').fill('4');
    await page.getByRole('button', { name: 'Save' }).click();
    const applyNow = page.getByRole('button', { name: 'Apply now' });
    await applyNow.waitFor({ timeout: 10_000 });
    expect(await page.textContent('body')).toContain(
      'Some changes apply when the cluster is recreated.',
    );
    await page.evaluate(() => window.scrollTo(0, 0));
    await harness.screenshot(page, 'settings-recreate-light');
    await applyNow.click();
    await page
      .getByText('Some changes apply when the cluster is recreated.')
      .waitFor({ state: 'detached', timeout: 120_000 });
    await expect
      .poll(() => page.getByRole('region', { name: 'Notifications' }).textContent())
      .toContain('Cluster started');
    const envs = await Promise.all(
      (await workerContainers(harness.cluster.name, true)).map(
        async (c) => (await docker.getContainer(c.Id).inspect()).Config.Env,
      ),
    );
    expect(envs.length).toBeGreaterThan(0);
    for (const env of envs) expect(env).toContain('GUILDHALL_CONCURRENCY=4');

    await page.evaluate(() => ((window as unknown as { marker: number }).marker = 42));
    await page.getByLabel('Language').selectOption('ja');
    await page.getByRole('button', { name: 'Save' }).click();
    const nav = page.getByRole('navigation');
    await expect.poll(() => nav.textContent(), { timeout: 10_000 }).toContain('ダッシュボード');
    expect(await nav.textContent()).toContain('ワーカー');
    expect(await nav.textContent()).not.toContain('Dashboard');
    expect(await page.evaluate(() => (window as unknown as { marker?: number }).marker)).toBe(42);
    const saved = await harness.cluster.core.settings.load();
    expect(saved.settings.app.language).toBe('ja');
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.waitForTimeout(500);
    await harness.screenshot(page, 'settings-light-ja');

    // Back to following the system language, for the dark screenshot.
    await page.getByLabel('言語').selectOption('system');
    await page.getByRole('button', { name: '保存' }).click();
    await expect.poll(() => nav.textContent(), { timeout: 10_000 }).toContain('Dashboard');
    await context.close();

    const dark = await harness.open({ theme: 'dark', path: '#/settings' });
    await dark.page.getByLabel('Workers', { exact: true }).waitFor();
    await expect.poll(() => dark.page.textContent('nav')).toContain('Running');
    await harness.screenshot(dark.page, 'settings-dark');
    await dark.context.close();
  });
});

describe('settings safety', () => {
  it('asks before using a processors folder outside the home folder, and shows a refused one on its field', async () => {
    const outside = '/srv/ghe2e-processors';
    expect(outside.startsWith(`${os.homedir()}/`)).toBe(false);
    const { page, context } = await harness.open({ path: '#/settings' });
    const folder = page.getByLabel('Processors folder');
    await folder.waitFor();
    const asked: string[] = [];
    try {
      await folder.fill(outside);
      page.once('dialog', (dialog) => {
        asked.push(dialog.message());
        void dialog.dismiss();
      });
      await page.getByRole('button', { name: 'Save' }).click();
      await expect.poll(() => asked.length).toBe(1);
      expect(asked[0]).toContain(`${outside} is outside your home folder`);
      expect(
        (await harness.cluster.core.settings.load()).settings.cluster.workers.processorsDir,
      ).toBe(null);

      page.once('dialog', (dialog) => void dialog.accept());
      await page.getByRole('button', { name: 'Save' }).click();
      await expect
        .poll(
          async () =>
            (await harness.cluster.core.settings.load()).settings.cluster.workers.processorsDir,
        )
        .toBe(outside);

      page.once('dialog', (dialog) => void dialog.accept());
      await folder.fill('/');
      // Save stays busy while the previous save recreates the workers (a new bind mount), which
      // on a loaded host takes longer than a click's default wait.
      await page.getByRole('button', { name: 'Save' }).click({ timeout: 120_000 });
      await expect.poll(() => page.textContent('form')).toContain('is the root of the file system');
    } finally {
      await harness.cluster.core.settings.update((s) => ({
        ...s,
        cluster: { ...s.cluster, workers: { ...s.cluster.workers, processorsDir: null } },
      }));
      await context.close();
    }
  });
});

describe('start and stop', () => {
  it('stops the cluster after confirming, teaches how to start it, and starts it with visible steps', async () => {
    const { page, context } = await harness.open({ path: '#/dashboard' });
    const panel = page.getByRole('region', { name: harness.cluster.name });
    await expect.poll(() => panel.textContent(), { timeout: 20_000 }).toContain('Running');

    await panel.getByRole('button', { name: 'Stop cluster' }).click();
    const dialog = page.getByRole('dialog', { name: 'Stop the cluster?' });
    await dialog.waitFor();
    // Esc cancels: nothing stops.
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
    expect((await workerContainers(harness.cluster.name, true)).length).toBe(3);

    await panel.getByRole('button', { name: 'Stop cluster' }).click();
    await dialog.getByRole('button', { name: 'Stop cluster' }).click();
    await expect.poll(() => panel.textContent(), { timeout: 60_000 }).toContain('No cluster yet');
    expect(await panel.textContent()).toContain('npx guildhall up');
    expect(await panel.textContent()).toContain('Remove');
    expect((await workerContainers(harness.cluster.name)).length).toBe(0);
    await page.waitForTimeout(500);
    await harness.screenshot(page, 'dashboard-empty-light');

    await panel.getByRole('button', { name: 'Start cluster' }).click();
    const steps = panel.locator('.steps');
    await expect.poll(() => panel.textContent(), { timeout: 30_000 }).toMatch(/Elapsed/);
    await expect.poll(() => panel.textContent(), { timeout: 120_000 }).toContain('Cluster started');
    expect(await panel.textContent()).toContain('Running');
    // The steps stay listed after the start: Redis and each worker, all done.
    const done = await steps.textContent();
    expect(done).toContain('Redis');
    expect(done).toContain(`${harness.cluster.name}-worker-3`);
    await harness.screenshot(page, 'dashboard-started-light');
    await expect
      .poll(async () => (await workerContainers(harness.cluster.name, true)).length, {
        timeout: 60_000,
      })
      .toBe(3);
    await expect
      .poll(() => page.locator('.tiles').textContent(), { timeout: 20_000 })
      .toContain('3 of 3 up');
    await context.close();
  });
});
