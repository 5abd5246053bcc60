/**
 * The watched Celery queues on the console's Queues page, against a real cluster: a custom pool's
 * `watch.celery` queue holds tasks sent by Debian's Celery on the host (no Celery worker runs,
 * so they wait), and the page shows it as a read-only card: waiting count, pool, the note that
 * Celery owns it, no actions. On the Workers page the Celery pool has its own section beside
 * the default pool's, and its worker-count control scales that pool alone. Screenshots in
 * English and Japanese, light and dark.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { poolSpecSchema } from '../../main/settings/pool-spec';
import { celeryClient } from '../integration/helpers/celery-pool';
import { runCli } from '../integration/helpers/run-cli';
import { startConsole, type ConsoleHarness } from './helpers/console';

const QUEUE = 'claude_tasks';
const POOL = 'celery';

let harness: ConsoleHarness;
let client: Awaited<ReturnType<typeof celeryClient>>;

beforeAll(async () => {
  harness = await startConsole({ workers: 1 });
  const { core } = harness.cluster;
  const { settings } = await core.settings.load();
  await core.settings.save({
    ...settings,
    cluster: {
      ...settings.cluster,
      pools: {
        [POOL]: poolSpecSchema.parse({
          image: 'guildhall-offline/celery:bookworm',
          command: ['celery', '-A', 'tasks', 'worker', '-Q', QUEUE],
          watch: { celery: [QUEUE] },
          replicas: 0,
        }),
      },
    },
  });
  const connect = await runCli(['connect'], harness.cluster.env);
  client = await celeryClient(connect.stdout.trim());
});
afterAll(async () => {
  await client?.close();
  await harness?.close();
});

describe('Celery queues in the console', () => {
  it('shows a watched Celery queue as a read-only card with its waiting tasks', async () => {
    expect(await client.run(['send', QUEUE, '3'])).toHaveLength(3);
    const { page, context } = await harness.open({ path: '#/queues' });
    try {
      const card = page.locator(`[data-celery-queue="${QUEUE}"]`);
      await card.waitFor({ timeout: 30_000 });
      await expect
        .poll(async () => card.getByTestId('celery-waiting').textContent(), { timeout: 10_000 })
        .toBe('3');
      expect(await card.getAttribute('data-pool')).toBe(POOL);
      expect(await card.textContent()).toContain(`Pool ${POOL}`);
      expect(await card.textContent()).toContain('Celery owns this queue');
      expect(await card.getByRole('button').count()).toBe(0);
      // The BullMQ queues are still there, with their actions.
      await page.locator('[data-queue="echo"]').getByRole('button', { name: 'Pause' }).waitFor();
      await harness.screenshot(page, 'queues-celery');
    } finally {
      await context.close();
    }
    const ja = await harness.open({ path: '#/queues', locale: 'ja-JP' });
    try {
      const card = ja.page.locator(`[data-celery-queue="${QUEUE}"]`);
      await card.waitFor({ timeout: 30_000 });
      expect(await card.textContent()).toContain('Celery が管理しています');
      expect(await card.textContent()).toContain(`プール ${POOL}`);
      await harness.screenshot(ja.page, 'queues-celery-ja');
    } finally {
      await ja.context.close();
    }
  });

  it('shows the Celery pool in its own section on the Workers page and scales it there', async () => {
    const { page, context } = await harness.open({ path: '#/workers' });
    try {
      const worker = page.getByRole('region', { name: 'worker', exact: true });
      const celery = page.getByRole('region', { name: POOL, exact: true });
      await worker.locator('tbody tr').first().waitFor({ timeout: 30_000 });
      expect(await worker.locator('tbody tr').count()).toBe(1);
      expect(await worker.textContent()).toContain('Built-in');
      const header = celery.locator('header');
      expect(await header.textContent()).toContain('Custom');
      expect(await header.textContent()).toContain('guildhall-offline/celery:bookworm');
      expect(await header.textContent()).toContain('0 of 0 running');
      expect(await celery.textContent()).toContain('No containers in this pool');

      await celery.getByRole('button', { name: 'One worker more' }).click();
      await celery.getByRole('button', { name: 'Apply' }).click();
      await expect
        .poll(
          async () =>
            (await harness.cluster.core.cluster.status()).pools.find((p) => p.name === POOL),
          { timeout: 120_000, interval: 1_000 },
        )
        .toMatchObject({ desired: 1, containers: 1 });
      const celeryRows = celery.locator('tbody tr');
      await expect.poll(() => celeryRows.count(), { timeout: 30_000 }).toBe(1);
      expect(await celeryRows.first().locator('th').textContent()).toContain(`${POOL}-1`);
      // No heartbeat columns for a custom pool's worker, but restart / stop as any pool's; the
      // default pool kept its one worker.
      expect(await celery.getByRole('columnheader', { name: 'Current jobs' }).count()).toBe(0);
      expect(await celery.getByRole('button', { name: `Restart ${POOL}-1` }).count()).toBe(1);
      expect(await celery.getByRole('button', { name: `Stop ${POOL}-1` }).count()).toBe(1);
      expect(await worker.getByRole('columnheader', { name: 'Current jobs' }).count()).toBe(1);
      expect(await worker.locator('tbody tr').count()).toBe(1);
      expect(await page.locator('.summary').textContent()).toContain('2 pools');
      await page.waitForTimeout(2_000);
      await harness.screenshot(page, 'workers-pools-light');
    } finally {
      await context.close();
    }
    for (const [options, name] of [
      [{ theme: 'dark' as const }, 'workers-pools-dark'],
      [{ locale: 'ja-JP' }, 'workers-pools-ja'],
    ] as const) {
      const other = await harness.open({ ...options, path: '#/workers' });
      try {
        const celery = other.page.getByRole('region', { name: POOL, exact: true });
        await celery.locator('tbody tr').first().waitFor({ timeout: 30_000 });
        await other.page.waitForTimeout(2_000);
        await harness.screenshot(other.page, name);
      } finally {
        await other.context.close();
      }
    }
  });
});
