/**
 * The troubleshooting page in the browser console against a real cluster: every check runs on
 * open and a healthy cluster passes; Redis stopped behind the app's back fails its check and
 * the offered fix brings it back; a worker killed three times fails the crash-loop check with
 * exit code 137 (mute counts it out; recreating repairs it); destructive repairs need typed
 * confirmation; the support bundle downloads and holds no password; the app log shows fixes.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sleep, unzipAll, waitFor } from '../integration/helpers/diagnostics-helpers';
import { clusterContainers, docker } from '../integration/helpers/test-cluster';
import { screenshotDir, startConsole, type ConsoleHarness } from './helpers/console';

/**
 * Signals go to the worker's processes as the worker's own user: its containers keep no
 * capabilities, so root inside could not signal another user's process.
 */
const WORKER_USER = '1000:1000';

let harness: ConsoleHarness;
let password: string;

beforeAll(async () => {
  harness = await startConsole({ workers: 2 });
  password = await harness.cluster.core.cluster.password(harness.cluster.name);
});
afterAll(async () => {
  await harness?.close();
});

const row = (page: Page, id: string) => page.locator(`[data-check="${id}"]`);

/** Opens the page and waits until the first run's results are shown. */
async function openTroubleshoot(options: { theme?: 'light' | 'dark'; locale?: string } = {}) {
  const opened = await harness.open({ ...options, path: '#/troubleshoot' });
  await opened.page.waitForSelector('[data-check="redis.container"]', { timeout: 60_000 });
  return opened;
}

async function runAgain(page: Page) {
  await page.getByRole('button', { name: 'Run checks again' }).click();
  await page.getByRole('button', { name: 'Run checks again' }).waitFor({ timeout: 60_000 });
}

async function statusOf(page: Page, id: string): Promise<string> {
  const classes = (await row(page, id).getAttribute('class')) ?? '';
  return ['passed', 'failed', 'warning', 'skipped'].find((s) => classes.includes(s)) ?? '';
}

describe('troubleshooting page', () => {
  it('runs every check on open; a healthy cluster passes (light, dark, Japanese)', async () => {
    const { page, context } = await openTroubleshoot();
    await expect
      .poll(() => page.locator('#health-title').textContent(), { timeout: 30_000 })
      .toBe('Everything looks healthy');
    const ids = await page
      .locator('[data-check]')
      .evaluateAll((rows) => rows.map((r) => r.getAttribute('data-check')));
    expect(ids).toContain('workers.healthy');
    expect(ids).toContain('host.disk');
    expect(await page.locator('[data-check].failed').count()).toBe(0);
    // Details expand with what the check looks at.
    await row(page, 'redis.config').getByRole('button', { name: 'Show details' }).click();
    await expect.poll(() => row(page, 'redis.config').textContent()).toContain('What this checks:');
    await harness.screenshot(page, 'troubleshoot-light');
    await context.close();

    for (const view of [
      { theme: 'dark' as const, locale: 'en-US', name: 'troubleshoot-dark' },
      { theme: 'light' as const, locale: 'ja-JP', name: 'troubleshoot-ja' },
    ]) {
      const opened = await openTroubleshoot(view);
      await expect
        .poll(() => opened.page.locator('#health-title').textContent(), { timeout: 30_000 })
        .not.toMatch(/…$/);
      await harness.screenshot(opened.page, view.name);
      await opened.context.close();
    }
  });

  it("Redis stopped behind the app's back fails its check; the offered fix brings it back", async () => {
    const { page, context } = await openTroubleshoot();
    const redisName = `${harness.cluster.name}-redis-1`;
    await docker.getContainer(redisName).stop({ t: 5 });
    await runAgain(page);
    await expect.poll(() => statusOf(page, 'redis.container'), { timeout: 30_000 }).toBe('failed');
    expect(await row(page, 'redis.container').textContent()).toContain(`${redisName} is exited`);
    await expect
      .poll(() => page.locator('#health-title').textContent())
      .toMatch(/^Problems found: \d+$/);
    await harness.screenshot(page, 'troubleshoot-redis-failed');

    await row(page, 'redis.container')
      .getByRole('button', { name: 'Recreate the Redis container (keeps data)' })
      .click();
    await expect
      .poll(() => row(page, 'redis.container').textContent(), { timeout: 120_000 })
      .toContain('Checked again: it passes now.');
    expect(await statusOf(page, 'redis.container')).toBe('passed');
    expect((await docker.getContainer(redisName).inspect()).State.Running).toBe(true);
    await context.close();
  });

  it('a worker killed three times fails the crash-loop check with exit code 137; recreating it repairs it', async () => {
    const worker1 = `${harness.cluster.name}-worker-1`;
    for (let kill = 1; kill <= 3; kill++) {
      const container = docker.getContainer(worker1);
      const before = (await container.inspect()).RestartCount;
      // Killing the processes inside (not `docker kill`) is a crash: the restart policy applies.
      const exec = await container.exec({ Cmd: ['sh', '-c', 'kill -9 -1'], User: WORKER_USER });
      await exec.start({});
      await waitFor(`restart ${kill}`, async () => {
        const info = await container.inspect();
        // After the third crash the console's supervisor may hold it (policy `no`, stopped)
        // before or after the engine restarts it: a crash loop all the same.
        const held = info.HostConfig.RestartPolicy?.Name === 'no' && kill === 3;
        return (info.RestartCount > before || held) && info.State.Status !== 'restarting';
      });
    }
    const { page, context } = await openTroubleshoot();
    await expect.poll(() => statusOf(page, 'workers.healthy'), { timeout: 30_000 }).toBe('failed');
    const text = await row(page, 'workers.healthy').textContent();
    expect(text).toMatch(/worker-1 is crash-looping: restarted 3 times, last exit code 137/);
    await harness.screenshot(page, 'troubleshoot-crash-loop');

    // Muting counts it out (and back in).
    const failedBefore = await page.locator('#health-title').textContent();
    await row(page, 'workers.healthy').getByRole('button', { name: 'Mute' }).click();
    await expect.poll(() => row(page, 'workers.healthy').textContent()).toContain('Muted');
    await expect.poll(() => page.locator('#health-title').textContent()).not.toBe(failedBefore);
    await row(page, 'workers.healthy').getByRole('button', { name: 'Unmute' }).click();
    await expect.poll(() => page.locator('#health-title').textContent()).toBe(failedBefore);
    const { settings } = await harness.cluster.core.settings.load();
    expect(settings.app.mutedChecks).toEqual([]);

    await row(page, 'workers.healthy').getByRole('button', { name: 'Recreate worker-1' }).click();
    await expect
      .poll(() => row(page, 'workers.healthy').textContent(), { timeout: 120_000 })
      .toContain('Checked again: it passes now.');
    expect((await docker.getContainer(worker1).inspect()).RestartCount).toBe(0);
    await context.close();
  });

  it('a destructive repair needs the cluster name typed; Esc closes it without running', async () => {
    const { page, context } = await openTroubleshoot();
    const before = (await clusterContainers(harness.cluster.name)).map((c) => c.Id).sort();
    await page.getByRole('button', { name: 'Reset the cluster and delete all Redis data' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.waitFor();
    const run = dialog.getByRole('button', { name: 'Run' });
    expect(await run.isDisabled()).toBe(true);
    await dialog.locator('#fix-confirm').fill('not-the-name');
    expect(await run.isDisabled()).toBe(true);
    await dialog.locator('#fix-confirm').fill(harness.cluster.name);
    expect(await run.isDisabled()).toBe(false);
    // The dialog as seen (the viewport, not the whole page).
    await page.screenshot({ path: path.join(screenshotDir, 'troubleshoot-confirm.png') });
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
    await sleep(500);
    const after = (await clusterContainers(harness.cluster.name)).map((c) => c.Id).sort();
    expect(after).toEqual(before);
    await context.close();
  });

  it('the support bundle downloads and holds no password; the app log shows the fixes', async () => {
    const { page, context } = await openTroubleshoot();
    const [download] = await Promise.all([
      page.waitForEvent('download', { timeout: 120_000 }),
      page.getByRole('button', { name: 'Create support bundle' }).click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/^guildhall-support-\d{8}-\d{6}\.zip$/);
    const file = await download.path();
    const entries = await unzipAll(file);
    expect([...entries.keys()]).toEqual(
      expect.arrayContaining(['README.txt', 'diagnostics.json', 'settings.json']),
    );
    for (const [name, content] of entries) {
      expect(content.includes(password), `${name} holds the password`).toBe(false);
    }
    await expect
      .poll(() =>
        page.locator('[role="status"]').filter({ hasText: 'Created guildhall-support-' }).count(),
      )
      .toBe(1);

    // The app log lists the fixes run above; its download holds no password either.
    await page.getByRole('button', { name: 'Refresh' }).click();
    await expect
      .poll(() => page.locator('table').textContent(), { timeout: 10_000 })
      .toContain('fix finished');
    const [logDownload] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Download', exact: true }).click(),
    ]);
    const logText = await fs.readFile(await logDownload.path(), 'utf8');
    expect(logText).toContain('fix finished');
    expect(logText.includes(password)).toBe(false);
    await harness.screenshot(page, 'troubleshoot-bundle-log');
    await context.close();
  });
});
