/**
 * The Export page in the real browser console: the compose tab previews the compose file and
 * Swarm's additions, downloads a file as shown, and lists the secret files by path while no
 * secret value reaches the page; the tabs follow the route (`#/export?kind=…`). In Japanese too.
 */
import fs from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startConsole, type ConsoleHarness } from './helpers/console';

let harness: ConsoleHarness;

beforeAll(async () => {
  harness = await startConsole({ up: false });
});
afterAll(async () => {
  await harness?.close();
});

describe('export page', () => {
  it('previews and downloads the compose files, secrets by path only', async () => {
    const { page, context } = await harness.open({ path: '#/export' });
    await page.getByText('compose.swarm.yaml', { exact: true }).waitFor();
    expect(
      await page.getByRole('tab', { name: 'Compose and Swarm' }).getAttribute('aria-selected'),
    ).toBe('true');
    const body = (await page.textContent('body')) ?? '';
    expect(body).toContain('secrets/redis-password');
    expect(body).toContain('guildhall export compose --out compose.yaml');
    const password = await harness.cluster.core.cluster.password(harness.cluster.name);
    expect(await page.content()).not.toContain(password);

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page
        .locator('section.file', { hasText: 'compose.yaml' })
        .first()
        .getByRole('button', { name: 'Download' })
        .click(),
    ]);
    expect(download.suggestedFilename()).toBe('compose.yaml');
    const saved = await fs.readFile((await download.path())!, 'utf8');
    expect(saved).toContain("version: '3.8'");
    expect(saved).not.toContain(password);

    await page.getByRole('tab', { name: 'Kubernetes' }).click();
    await expect.poll(() => page.url()).toContain('kind=kubernetes');
    // The manifests preview too, one per object; Secrets by name only.
    await page.locator('section.file', { hasText: 'deployment-worker.yaml' }).first().waitFor();
    expect(await page.textContent('body')).not.toContain(password);
    await harness.screenshot(page, 'export-kubernetes');
    await context.close();
  });

  it('speaks Japanese', async () => {
    const { page, context } = await harness.open({ locale: 'ja-JP', path: '#/export' });
    await page.getByRole('tab', { name: 'Compose と Swarm' }).waitFor();
    expect(await page.textContent('body')).toContain('シークレットファイル');
    await context.close();
  });
});
