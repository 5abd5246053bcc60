/**
 * The Workers page in the real browser console shows who supervises the cluster (the console's
 * own supervisor, by the lease) and the supervisor's recent actions: a worker removed with
 * `docker rm -f` is recreated and the page says so. In Japanese too.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { docker } from '../integration/helpers/test-cluster';
import { startConsole, type ConsoleHarness } from './helpers/console';

let harness: ConsoleHarness;

beforeAll(async () => {
  harness = await startConsole({ workers: 1 });
});
afterAll(async () => {
  await harness?.close();
});

describe('workers: the supervisor', () => {
  it('shows who supervises and what it did', async () => {
    const { page, context } = await harness.open({ path: '#/workers' });
    const card = page.locator('section.card', {
      has: page.getByRole('heading', { name: 'Supervisor', exact: true }),
    });
    await expect
      .poll(() => card.getByTestId('supervisor-holder').textContent(), { timeout: 20_000 })
      .toMatch(new RegExp(`Supervised by console@.+:${harness.server.pid} since`));

    await docker.getContainer(`${harness.cluster.name}-worker-1`).remove({ force: true });
    await expect
      .poll(() => card.getByTestId('supervisor-events').textContent(), { timeout: 20_000 })
      .toContain('worker-1 was missing: recreated it');
    await context.close();
  });

  it('speaks Japanese', async () => {
    const { page, context } = await harness.open({ locale: 'ja-JP', path: '#/workers' });
    await page.getByRole('heading', { name: 'スーパーバイザー', exact: true }).waitFor();
    await expect
      .poll(() => page.getByTestId('supervisor-events').textContent(), { timeout: 20_000 })
      .toContain('worker-1 が見つからないため再作成しました');
    await context.close();
  });
});
