/**
 * The watched Celery queues on the console's Queues page, against a real cluster: a custom pool's
 * `watch.celery` queue holds tasks sent by Debian's Celery on the host (no Celery worker runs,
 * so they wait), and the page shows it as a read-only card: waiting count, pool, the note that
 * Celery owns it, no actions. Screenshots in English and Japanese.
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
});
