/**
 * Settings → Secrets in the real browser console: a secret added there is stored (and only its
 * name shown), its value can be replaced from an always-empty field, and it can be removed; the
 * page never holds a stored value. In Japanese too.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { userSecretKey } from '../../main/settings/user-secrets';
import { startConsole, type ConsoleHarness } from './helpers/console';

let harness: ConsoleHarness;

beforeAll(async () => {
  harness = await startConsole({ up: false });
});
afterAll(async () => {
  await harness?.close();
});

describe('settings: secrets', () => {
  it('adds, replaces and removes a secret without ever showing a value', async () => {
    const { page, context } = await harness.open({ path: '#/settings' });
    const card = page.locator('section.card', {
      has: page.getByRole('heading', { name: 'Secrets', exact: true }),
    });
    await card.waitFor();
    const first = `v1-${randomBytes(8).toString('hex')}`;
    await card.getByLabel('Name', { exact: true }).fill('E2E_TOKEN');
    await card.getByLabel('Value', { exact: true }).fill(first);
    await card.getByRole('button', { name: 'Add secret' }).click();
    await expect.poll(() => card.textContent()).toContain('E2E_TOKEN');
    expect(await card.getByLabel('Value', { exact: true }).inputValue()).toBe('');
    const secrets = harness.cluster.core.secrets;
    expect(await secrets.get(userSecretKey('E2E_TOKEN'))).toBe(first);

    const second = `v2-${randomBytes(8).toString('hex')}`;
    await card.getByRole('button', { name: 'Replace value' }).click();
    const replacement = card.getByLabel('New value for E2E_TOKEN');
    expect(await replacement.inputValue()).toBe('');
    await replacement.fill(second);
    await card.getByRole('button', { name: 'Save value' }).click();
    await expect.poll(() => secrets.get(userSecretKey('E2E_TOKEN'))).toBe(second);
    const html = await page.content();
    expect(html).not.toContain(first);
    expect(html).not.toContain(second);

    page.once('dialog', (dialog) => void dialog.accept());
    await card.getByRole('button', { name: 'Remove' }).click();
    await expect.poll(() => card.textContent()).toContain('No secrets stored.');
    expect(await secrets.get(userSecretKey('E2E_TOKEN'))).toBeNull();
    await context.close();
  });

  it('speaks Japanese', async () => {
    const { page, context } = await harness.open({ locale: 'ja-JP', path: '#/settings' });
    await page.getByRole('heading', { name: 'シークレット', exact: true }).waitFor();
    expect(await page.textContent('body')).toContain('シークレットを追加');
    await context.close();
  });
});
