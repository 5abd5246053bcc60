/**
 * The Activity page in Chromium: actions taken from the CLI and the browser console's API show
 * with their face, outcome and arguments; the face filter narrows the list; "Verify the chain"
 * reports the log intact; the page reads in Japanese. No containers are needed (the cluster is
 * configured, not started).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { webSocketClient } from '../integration/helpers/api-clients';
import { runCli } from '../integration/helpers/run-cli';
import { startConsole, type ConsoleHarness } from './helpers/console';

let harness: ConsoleHarness;

beforeAll(async () => {
  harness = await startConsole({ up: false });
  const refused = await runCli(['scale', '99'], harness.cluster.env);
  expect(refused.code).toBe(2);
  const url = new URL(harness.url);
  const ws = await webSocketClient(url.origin, url.searchParams.get('token')!);
  try {
    await ws.client.settings.update({ app: { startAtLogin: false } });
  } finally {
    ws.close();
  }
});

afterAll(async () => {
  await harness?.close();
});

describe('Activity page', () => {
  it('lists actions by face, filters them and verifies the chain', async () => {
    const { page, context } = await harness.open({ path: '#/activity' });
    const table = page.locator('table');
    await expect.poll(() => table.textContent(), { timeout: 15_000 }).toContain('settings.update');
    const text = (await table.textContent()) ?? '';
    expect(text).toContain('Browser console');
    expect(text).toContain('cluster.scale');
    expect(text).toContain('CLI');
    expect(text).toContain('Failed');

    await page.getByLabel('Face').selectOption('cli');
    await expect.poll(() => table.textContent()).not.toContain('settings.update');
    expect(await table.textContent()).toContain('cluster.scale');

    await page.getByRole('button', { name: 'Verify the chain' }).click();
    await expect.poll(() => page.getByRole('status').textContent()).toContain('intact');
    await harness.screenshot(page, 'activity-en');
    await context.close();
  });

  it('reads in Japanese', async () => {
    const { page, context } = await harness.open({ path: '#/activity', locale: 'ja-JP' });
    await expect
      .poll(() => page.locator('h1').textContent(), { timeout: 15_000 })
      .toContain('アクティビティ');
    await expect.poll(() => page.locator('table').textContent()).toContain('コマンドライン');
    await harness.screenshot(page, 'activity-ja');
    await context.close();
  });
});
