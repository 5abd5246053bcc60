/**
 * Settings → Supervisor in the real browser console (issue 15): a value out of the spec's range
 * is explained at its field with Save off; a valid change is saved into the cluster's spec (the
 * `supervisor` block the supervisor reads on its next tick) without offering to recreate the
 * cluster. In Japanese too; screenshots of the section in both languages.
 */
import path from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { screenshotDir, startConsole, type ConsoleHarness } from './helpers/console';

let harness: ConsoleHarness;

beforeAll(async () => {
  // Editing settings needs no containers: the console starts beside a cluster not yet up.
  harness = await startConsole({ workers: 1, up: false });
});
afterAll(async () => {
  await harness?.close();
});

function supervisorForm(page: Page, name: string): Locator {
  return page.getByRole('form', { name, exact: true });
}

async function supervisorSpec() {
  return (await harness.cluster.core.cluster.spec()).spec.supervisor;
}

describe('Settings → Supervisor', () => {
  it('checks a value as typed and saves a change into the spec', async () => {
    const { page, context } = await harness.open({ path: '#/settings' });
    try {
      const form = supervisorForm(page, 'Supervisor');
      await form.waitFor();
      const checks = form.getByLabel('Failed health checks before a restart');
      const save = form.getByRole('button', { name: 'Save' });
      expect(await checks.inputValue()).toBe('3');
      // At rest the page has one Save, the main form's: this section's appear once it changes.
      expect(await save.count()).toBe(0);

      await checks.fill('101');
      await expect
        .poll(() => form.locator('#set-supervisor-unhealthyChecks-error').textContent())
        .toBe('Enter a whole number from 1 to 100.');
      expect(await save.isDisabled()).toBe(true);
      await form.screenshot({ path: path.join(screenshotDir, 'settings-supervisor-invalid.png') });

      await checks.fill('5');
      await expect.poll(() => save.isDisabled()).toBe(false);
      await save.click();
      await expect.poll(async () => (await supervisorSpec()).unhealthyChecks).toBe(5);
      expect(await supervisorSpec()).toMatchObject({ enabled: true, memoryMarginMb: 512 });
      await page.getByText('Supervisor settings saved.').waitFor();
      // The supervisor reads its block on its next tick: nothing to recreate.
      expect(await page.getByRole('button', { name: 'Apply now' }).count()).toBe(0);
      await expect.poll(() => save.count()).toBe(0);
      await form.screenshot({ path: path.join(screenshotDir, 'settings-supervisor-en.png') });
    } finally {
      await context.close();
    }
  });

  it('speaks Japanese', async () => {
    const { page, context } = await harness.open({ locale: 'ja-JP', path: '#/settings' });
    try {
      const form = supervisorForm(page, 'スーパーバイザー');
      await form.waitFor();
      expect(await form.getByLabel('再起動までのヘルスチェック失敗回数').inputValue()).toBe('5');
      const cpu = form.getByLabel('スケールアップを止めるホスト CPU (%)');
      await cpu.fill('5');
      await expect
        .poll(() => form.locator('#set-supervisor-cpuSaturatedPercent-error').textContent())
        .toBe('10〜100 の数値を入力してください。');
      await form.screenshot({ path: path.join(screenshotDir, 'settings-supervisor-ja.png') });
      await form.getByRole('button', { name: '破棄' }).click();
      expect(await cpu.inputValue()).toBe('90');
    } finally {
      await context.close();
    }
  });
});
