/**
 * The Schedules page in the browser console against a real cluster: a bad cron is refused live
 * naming the field, the next five runs show before saving, the saved schedule lists with its next
 * run, pauses and resumes. Screenshots in English and Japanese.
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

describe('schedules page', () => {
  it('previews, refuses a bad cron, saves, pauses and resumes a schedule', async () => {
    const { page, context } = await harness.open({ path: '#/schedules' });
    try {
      await page.getByRole('button', { name: 'New schedule' }).click();
      const dialog = page.getByRole('dialog', { name: 'New schedule' });
      await dialog.getByLabel('Schedule id').fill('weekday-report');
      await dialog.getByLabel('Cron', { exact: true }).fill('0 9 * * 8');
      const preview = dialog.getByTestId('schedule-preview');
      await preview
        .getByRole('alert')
        .filter({ hasText: 'day of week field "8"' })
        .waitFor({ timeout: 10_000 });
      await harness.screenshot(page, 'schedule-bad-cron');
      expect(await dialog.getByRole('button', { name: 'Save schedule' }).isDisabled()).toBe(true);

      await dialog.getByLabel('Cron', { exact: true }).fill('0 9 * * 1-5');
      await dialog.getByLabel('Time zone').fill('Asia/Tokyo');
      await expect.poll(() => preview.locator('li').count(), { timeout: 10_000 }).toBe(5);
      await dialog.getByLabel('Job data (JSON)').fill('{"report": "daily"}');
      await harness.screenshot(page, 'schedule-editor');
      await dialog.getByRole('button', { name: 'Save schedule' }).click();
      await dialog.waitFor({ state: 'hidden' });

      const row = page.locator('tr[data-schedule="weekday-report"]');
      await row.waitFor({ timeout: 10_000 });
      expect(await row.textContent()).toContain('0 9 * * 1-5 (Asia/Tokyo)');
      await harness.screenshot(page, 'schedules-page');

      await row.getByRole('button', { name: 'Pause' }).click();
      await row.getByText('Paused').waitFor({ timeout: 10_000 });
      const [paused] = await api.client.schedules.list();
      expect(paused).toMatchObject({
        id: 'weekday-report',
        state: 'paused',
        data: { report: 'daily' },
      });
      await row.getByRole('button', { name: 'Resume' }).click();
      await row.getByRole('button', { name: 'Pause' }).waitFor({ timeout: 10_000 });
      const [resumed] = await api.client.schedules.list();
      expect(resumed).toMatchObject({ state: 'active', tz: 'Asia/Tokyo' });
      expect(resumed!.nextRuns).toHaveLength(5);
    } finally {
      await context.close();
    }
    const ja = await harness.open({ path: '#/schedules', locale: 'ja-JP' });
    try {
      await ja.page.locator('tr[data-schedule="weekday-report"]').waitFor({ timeout: 30_000 });
      await harness.screenshot(ja.page, 'schedules-page-ja');
    } finally {
      await ja.context.close();
    }
  });
});
