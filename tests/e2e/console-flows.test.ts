/**
 * The Flows page in the browser console against a real cluster: a flow added from a template
 * with live validation, its tree with each node's state and the children's values the parent
 * received, a failed node retried, and a job's detail linking back to its tree. Screenshots in
 * English and Japanese.
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

describe('flows page', () => {
  it('adds the pipeline template, shows its tree, links job detail and tree both ways', async () => {
    const { page, context } = await harness.open({ path: '#/flows' });
    try {
      await page.getByRole('button', { name: 'New flow' }).click();
      const dialog = page.getByRole('dialog', { name: 'New flow' });
      const status = dialog.getByTestId('flow-check');
      await status.getByText('Valid: 3 jobs on queues echo, shell.').waitFor({ timeout: 10_000 });
      const editor = dialog.getByLabel('Flow (JSON)');
      await editor.fill('{"queue": "echo", "children": [{"name": "no queue"}]}');
      await status.getByText(/children\.0\.queue/).waitFor({ timeout: 10_000 });
      await harness.screenshot(page, 'flow-editor-invalid');
      expect(await dialog.getByRole('button', { name: 'Add flow' }).isDisabled()).toBe(true);
      await dialog.getByRole('button', { name: 'Pipeline task → pm → result' }).click();
      await status.getByText(/^Valid/).waitFor({ timeout: 10_000 });
      await dialog.getByRole('button', { name: 'Add flow' }).click();
      await dialog.waitFor({ state: 'hidden' });

      const root = page.locator('[data-flow-node^="echo/"]').first();
      await expect
        .poll(() => root.getAttribute('data-state'), { timeout: 30_000 })
        .toBe('completed');
      await page.locator('[data-flow-node^="shell/"][data-state="completed"]').waitFor();
      await root.getByText('Received from 1 children').first().click();
      await harness.screenshot(page, 'flows-page');

      // A child's job detail links back to its tree.
      const task = page.locator('[data-flow-node^="shell/"]');
      const taskId = (await task.getAttribute('data-flow-node'))!.split('/')[1]!;
      await task.getByRole('link', { name: 'task' }).click();
      const detail = page.locator(`section.detail[data-job-id="${taskId}"]`);
      await detail.getByRole('link', { name: 'Open its flow' }).click();
      await page.locator('[data-flow-node^="echo/"]').first().waitFor();
    } finally {
      await context.close();
    }
  });

  it('shows failure policies and retries a failed node', async () => {
    const tree = await api.client.flows.add({
      queue: 'echo',
      name: 'report',
      children: [
        {
          queue: 'shell',
          name: 'optional',
          data: { command: ['false'] },
          ignoreDependencyOnFailure: true,
        },
      ],
    });
    const { page, context } = await harness.open({ path: `#/flows?queue=echo&id=${tree.id}` });
    try {
      const failed = page.locator(`[data-flow-node="shell/${tree.children[0]!.id}"]`);
      await expect
        .poll(() => failed.getAttribute('data-state'), { timeout: 30_000 })
        .toBe('failed');
      await failed.getByText(/^ignoreDependencyOnFailure/).waitFor();
      await page.getByText(/Ignored failures of shell\//).waitFor({ timeout: 10_000 });
      await failed.getByRole('button', { name: 'Retry' }).click();
      await page.getByText(`Job ${tree.children[0]!.id} retried.`).waitFor({ timeout: 10_000 });
      const job = await api.client.queues.job({ queue: 'shell', id: tree.children[0]!.id });
      expect(job.attemptsMade).toBeGreaterThanOrEqual(1);
    } finally {
      await context.close();
    }
    const ja = await harness.open({ path: `#/flows?queue=echo&id=${tree.id}`, locale: 'ja-JP' });
    try {
      await ja.page.locator('[data-flow-node]').first().waitFor({ timeout: 30_000 });
      await harness.screenshot(ja.page, 'flows-page-ja');
    } finally {
      await ja.context.close();
    }
  });
});
