/**
 * The setup wizard in the browser console against the real engine:
 *  - a true first launch (no settings.json) opens the wizard, which creates a working cluster
 *    and completes a real job round trip; setup is then marked completed; it can be re-run
 *    (dark theme, Japanese) — a screenshot of every step in each;
 *  - with the engine unreachable (DOCKER_HOST pointing nowhere) the engine step fails with the
 *    reason, and choosing the real socket by hand succeeds; a port taken by another program is
 *    refused with the next free one offered; cancelling after provisioning removes exactly
 *    what this run created.
 */
import net from 'node:net';
import path from 'node:path';
import { Redis } from 'ioredis';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clusterContainers, docker } from '../integration/helpers/test-cluster';
import { screenshotDir } from './helpers/console';
import { startConsole, type ConsoleHarness } from './helpers/console';

const panel = (page: Page) => page.locator('.panel[data-step]');

async function atStep(page: Page, step: string, status?: string, timeout = 30_000) {
  const selector = status
    ? `.panel[data-step="${step}"][data-status="${status}"]`
    : `.panel[data-step="${step}"]`;
  await page.waitForSelector(selector, { timeout });
}

async function next(page: Page) {
  await page.getByTestId('wizard-next').click();
}

/** Walks the whole wizard with the given cluster name and port, a screenshot per step. */
async function walkWizard(
  harness: ConsoleHarness,
  page: Page,
  prefix: string,
  options: { name: string; port: number; workers: number },
): Promise<void> {
  await atStep(page, 'welcome');
  await harness.screenshot(page, `${prefix}-1-welcome`);
  await next(page);

  await atStep(page, 'engine', 'done');
  await harness.screenshot(page, `${prefix}-2-engine`);
  await next(page);

  await atStep(page, 'resources', 'done');
  await expect.poll(() => panel(page).locator('dd').first().textContent()).toMatch(/\d/);
  await harness.screenshot(page, `${prefix}-3-resources`);
  await next(page);

  await atStep(page, 'configure');
  await page.locator('#cfg-name').fill(options.name);
  await page.locator('#cfg-port').fill(String(options.port));
  await page.locator('#cfg-workers').fill(String(options.workers));
  // The wizard says these workers run shell jobs (issue 19: shell is opt-in for other pools).
  expect(await page.getByTestId('shell-note').textContent()).toMatch(/shell/);
  // The port check answers for the typed port: free (first run) or ours (a re-run).
  await expect
    .poll(() => page.locator('#cfg-port-state').textContent(), { timeout: 10_000 })
    .toContain(String(options.port));
  await harness.screenshot(page, `${prefix}-4-configure`);
  await next(page);

  await atStep(page, 'provision', 'pending');
  await harness.screenshot(page, `${prefix}-5-provision-ready`);
  await page.getByTestId('provision-create').click();
  await atStep(page, 'provision', 'done', 150_000);
  await harness.screenshot(page, `${prefix}-5-provision-done`);
  await next(page);

  await atStep(page, 'smoke', 'done', 60_000);
  // The round trip's duration is shown, with the job's id.
  const smoke = await page.getByTestId('smoke-result').textContent();
  expect(smoke).toMatch(/^\s*[\d.,]+\s?\S+/);
  await harness.screenshot(page, `${prefix}-6-smoke`);
  await next(page);

  await atStep(page, 'done', 'done');
  await page.getByTestId('connection-url').waitFor();
  await harness.screenshot(page, `${prefix}-7-done`);
}

describe('first launch', () => {
  let harness: ConsoleHarness;
  let password: string;

  beforeAll(async () => {
    harness = await startConsole({ workers: 1, firstLaunch: true });
  });
  afterAll(async () => {
    await harness?.close();
  });

  it('opens the wizard, creates a working cluster and completes a smoke job', async () => {
    const { cluster } = harness;
    const { page, context } = await harness.open();
    // No settings.json: the console sends the user to the wizard instead of the dashboard.
    await expect.poll(() => page.url(), { timeout: 20_000 }).toMatch(/#\/setup$/);
    await walkWizard(harness, page, 'wizard-light', {
      name: cluster.name,
      port: cluster.port,
      workers: 1,
    });

    // The cluster really runs: Redis answers with the stored password on the chosen port, one
    // worker, and the smoke job completed in the echo queue.
    password = await cluster.core.cluster.password(cluster.name);
    const redis = new Redis({ host: '127.0.0.1', port: cluster.port, password, lazyConnect: true });
    await redis.connect();
    try {
      const completed = await redis.zrange('bull:echo:completed', '0', '-1');
      expect(completed.length).toBeGreaterThanOrEqual(1);
      const name = await redis.hget(`bull:echo:${completed[0]}`, 'name');
      expect(name).toBe('guildhall-smoke-test');
    } finally {
      redis.disconnect();
    }
    const containers = await clusterContainers(cluster.name);
    expect(containers.map((c) => c.State).sort()).toEqual(['running', 'running']);

    // Setup is recorded as completed, with what the user typed.
    const { settings } = await cluster.core.settings.load();
    expect(settings.app.setupCompleted).toBe(true);
    expect(settings.cluster.name).toBe(cluster.name);
    expect(settings.cluster.redis.port).toBe(cluster.port);
    expect(settings.cluster.workers.replicas).toBe(1);

    // The connection URL is masked until revealed; Copy puts the real one on the clipboard.
    const url = page.getByTestId('connection-url');
    expect(await url.textContent()).toContain(`redis://default:••••••••@127.0.0.1:${cluster.port}`);
    expect(await url.textContent()).not.toContain(password);
    await page.getByRole('button', { name: 'Copy Connection URL' }).click();
    await expect
      .poll(() => page.evaluate(() => navigator.clipboard.readText()))
      .toContain(`@127.0.0.1:${cluster.port}`);
    const copied = await page.evaluate(() => navigator.clipboard.readText());
    expect(copied).toBe(
      `redis://default:${encodeURIComponent(password)}@127.0.0.1:${cluster.port}`,
    );
    await page.getByRole('button', { name: 'Show password' }).click();
    await expect.poll(async () => (await url.textContent())?.includes(password)).toBe(true);
    await page.getByRole('button', { name: 'Hide password' }).click();
    await expect.poll(async () => (await url.textContent())?.includes(password)).toBe(false);

    // The CLI tips work in a clone, where `guildhall` alone is not on PATH.
    const tips = await page.locator('ul.cli code').allTextContents();
    expect(tips.length).toBeGreaterThan(0);
    for (const tip of tips) expect(tip).toMatch(/^npx guildhall /);

    // Open dashboard from the bottom of the long Done step: the dashboard opens at its top,
    // its cluster card in view (it used to keep the wizard's scroll and hide the card).
    await page.getByTestId('wizard-finish').scrollIntoViewIfNeeded();
    expect(await page.evaluate(() => window.scrollY)).toBeGreaterThan(0);
    await page.getByTestId('wizard-finish').click();
    await expect.poll(() => page.url()).toMatch(/#\/dashboard$/);
    await page.locator('section[aria-labelledby="cluster-panel-title"]').waitFor();
    expect(await page.evaluate(() => window.scrollY)).toBe(0);
    const card = await page.locator('section[aria-labelledby="cluster-panel-title"]').boundingBox();
    expect(card!.y).toBeGreaterThanOrEqual(0);
    await harness.screenshot(page, 'wizard-light-8-dashboard');
    await context.close();
  });

  it('can be run again (dark theme, then Japanese) over the running cluster', async () => {
    const { cluster } = harness;
    for (const run of [
      { prefix: 'wizard-dark', theme: 'dark' as const, locale: 'en-US' },
      { prefix: 'wizard-ja', theme: 'light' as const, locale: 'ja-JP' },
    ]) {
      const { page, context } = await harness.open({ ...run, path: '#/setup' });
      await walkWizard(harness, page, run.prefix, {
        name: cluster.name,
        port: cluster.port,
        workers: 1,
      });
      await context.close();
    }
    // Re-running over the running cluster kept it: still one Redis and one worker.
    const containers = await clusterContainers(cluster.name);
    expect(containers).toHaveLength(2);
  });
});

describe('engine unreachable, port taken, cancel after provisioning', () => {
  let harness: ConsoleHarness;
  let blocker: net.Server;
  let takenPort: number;

  beforeAll(async () => {
    harness = await startConsole({
      firstLaunch: true,
      workers: 1,
      env: { DOCKER_HOST: 'unix:///tmp/nonexistent.sock' },
    });
    // Another program holds a port: the test's own listener on 127.0.0.1.
    blocker = net.createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    takenPort = (blocker.address() as net.AddressInfo).port;
  });
  afterAll(async () => {
    await new Promise((resolve) => blocker?.close(resolve));
    await harness?.close();
  });

  it('fails the engine step with the reason; picking the real socket by hand succeeds', async () => {
    const { page, context } = await harness.open({ path: '#/setup' });
    await atStep(page, 'welcome');
    await next(page);
    await atStep(page, 'engine', 'failed');
    const failure = page.locator('.panel [role="alert"]').first();
    await expect.poll(() => failure.textContent()).toContain('/tmp/nonexistent.sock');
    await expect.poll(() => failure.textContent()).toMatch(/How to fix: /);
    expect(await page.getByTestId('wizard-next').isDisabled()).toBe(true);
    await harness.screenshot(page, 'wizard-engine-failed');

    // In Japanese: a Japanese headline for the reason, the exact English text as its details.
    const ja = await harness.open({ locale: 'ja-JP', path: '#/setup' });
    await atStep(ja.page, 'welcome');
    await next(ja.page);
    await atStep(ja.page, 'engine', 'failed');
    const jaFailure = ja.page.locator('.panel [role="alert"]').first();
    await expect
      .poll(() => jaFailure.locator('strong').textContent())
      .toMatch(/コンテナーエンジン/);
    expect(await jaFailure.locator('[lang="en"]').textContent()).toContain('/tmp/nonexistent.sock');
    await expect.poll(() => jaFailure.textContent()).toMatch(/対処方法: /);
    await harness.screenshot(ja.page, 'wizard-engine-failed-ja');
    await ja.context.close();

    // Retry alone does not help (the environment of a running server cannot change)…
    await page.getByRole('button', { name: 'Detect again' }).click();
    await atStep(page, 'engine', 'failed');

    // …choosing the socket by hand does: it is probed, pinned, and the step passes.
    await page.locator('#engine-address').fill('/var/run/docker.sock');
    await page.getByRole('button', { name: 'Check and use' }).click();
    await atStep(page, 'engine', 'done', 20_000);
    await expect.poll(() => panel(page).textContent()).toMatch(/Using Docker \d/);
    await harness.screenshot(page, 'wizard-engine-fixed');
    const { settings } = await harness.cluster.core.settings.load();
    expect(settings.engine.pinned).toBe('/var/run/docker.sock');

    // A wrong address is refused with the probe's reason and nothing is pinned.
    await page.locator('details.manual summary').click(); // folded away once an engine works
    await page.locator('#engine-address').fill('/tmp/guildhall-e2e-no-such.sock');
    await page.getByRole('button', { name: 'Check and use' }).click();
    await expect
      .poll(() => page.locator('.manual [role="alert"]').textContent())
      .toContain('guildhall-e2e-no-such.sock');
    expect((await harness.cluster.core.settings.load()).settings.engine.pinned).toBe(
      '/var/run/docker.sock',
    );

    await next(page);
    await atStep(page, 'resources', 'done');
    await next(page);

    // A port another program holds: refused, and the next free one is offered.
    await atStep(page, 'configure');
    await page.locator('#cfg-name').fill(harness.cluster.name);
    await page.locator('#cfg-workers').fill('1');
    await page.locator('#cfg-port').fill(String(takenPort));
    await expect
      .poll(() => page.locator('#cfg-port-state').textContent(), { timeout: 10_000 })
      .toContain(`Port ${takenPort} is in use by another program.`);
    await harness.screenshot(page, 'wizard-port-taken');
    await next(page);
    await atStep(page, 'configure'); // not saved: still here, the port marked and focused
    await expect.poll(() => page.locator('#cfg-port').getAttribute('aria-invalid')).toBe('true');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('cfg-port');
    expect((await harness.cluster.core.settings.load()).settings.cluster.redis.port).not.toBe(
      takenPort,
    );
    const offer = page.getByRole('button', { name: /^Use port \d+$/ });
    const offered = Number((await offer.textContent())!.replace(/\D/g, ''));
    expect(offered).toBeGreaterThan(takenPort);
    await offer.click();
    expect(Number(await page.locator('#cfg-port').inputValue())).toBe(offered);
    await expect
      .poll(() => page.locator('#cfg-port-state').textContent())
      .toContain(`Port ${offered} is free.`);
    await next(page);
    await atStep(page, 'provision', 'pending');
    expect((await harness.cluster.core.settings.load()).settings.cluster.redis.port).toBe(offered);

    // Provision, then cancel: the dialog lists what this run created, and removing takes it all.
    await page.getByTestId('provision-create').click();
    await atStep(page, 'provision', 'done', 150_000);
    expect(await clusterContainers(harness.cluster.name)).toHaveLength(2);
    await page.getByTestId('wizard-cancel').click();
    const dialog = page.getByRole('dialog');
    await expect.poll(() => dialog.textContent()).toContain(`${harness.cluster.name}-redis-1`);
    await expect.poll(() => dialog.textContent()).toContain(`${harness.cluster.name}_redis-data`);
    await page.screenshot({ path: path.join(screenshotDir, 'wizard-cancel-cleanup.png') });
    await dialog.getByRole('button', { name: 'Remove what was created' }).click();
    await expect.poll(() => page.url(), { timeout: 60_000 }).toMatch(/#\/dashboard$/);
    expect(await clusterContainers(harness.cluster.name)).toHaveLength(0);
    const volumes = await docker.listVolumes();
    expect(
      (volumes.Volumes ?? []).some((v) => v.Name === `${harness.cluster.name}_redis-data`),
    ).toBe(false);
    const networks = await docker.listNetworks();
    expect(networks.some((n) => n.Name === `${harness.cluster.name}_default`)).toBe(false);
    // Setup was not completed.
    expect((await harness.cluster.core.settings.load()).settings.app.setupCompleted).toBe(false);
    await context.close();
  });
});
