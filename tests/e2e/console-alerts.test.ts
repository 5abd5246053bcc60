/**
 * Alerts page in the real browser console (issue 17): a webhook added there, pointing at a
 * receiver this test runs, is saved into the cluster spec (`guildhall spec` shows it) with its
 * URL in the secret store; "Send test" reaches the receiver. The URL never appears in the page,
 * in any API answer the page receives, in `guildhall spec` or in the audit log. A threshold out
 * of range is refused at its field. Screenshots in English and Japanese.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { userSecretKey } from '../../main/settings/user-secrets';
import { runCli } from '../integration/helpers/run-cli';
import { startConsole, type ConsoleHarness } from './helpers/console';

let harness: ConsoleHarness;
let receiver: http.Server;
const received: { path: string; body: string }[] = [];
const token = randomBytes(12).toString('hex');
let url: string;

beforeAll(async () => {
  receiver = http.createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      received.push({ path: req.url ?? '', body });
      res.writeHead(200).end('ok');
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks/${token}`;
  harness = await startConsole({ up: false });
});

afterAll(async () => {
  await harness?.close();
  await new Promise((resolve) => receiver?.close(resolve));
});

describe('alerts page', () => {
  it('adds a webhook, saves it into the spec and sends a test, never showing its URL', async () => {
    const { page: first, context } = await harness.open({ path: '#/alerts' });
    await first.close();
    // A page of its own that records every WebSocket frame the console sends it.
    const page = await context.newPage();
    const frames: string[] = [];
    page.on('websocket', (ws) =>
      ws.on('framereceived', ({ payload }) => frames.push(String(payload))),
    );
    await page.goto(`${harness.url}#/alerts`);
    await page.getByRole('heading', { name: 'Rules', exact: true }).waitFor();

    // A threshold out of range is marked at its field, and Save stays off.
    const freeMb = page.locator('#rule-diskLow-freeMb');
    await freeMb.fill('0');
    await expect
      .poll(() => page.locator('#rule-diskLow-freeMb-error').textContent())
      .toBe('Enter a whole number from 1 to 1048576.');
    expect(await page.getByRole('button', { name: 'Save alerts' }).isDisabled()).toBe(true);
    await freeMb.fill('2048');

    await page.getByRole('button', { name: 'Add webhook' }).click();
    await page.getByLabel('Name', { exact: true }).fill('ops');
    await page.getByLabel('Format', { exact: true }).selectOption('slack');
    await expect
      .poll(() => page.locator('#webhook-0-url-error').textContent())
      .toBe('Enter the webhook URL.');
    await harness.screenshot(page, 'alerts-editor-en');
    await page.getByLabel('URL', { exact: true }).fill(url);
    await page.getByRole('button', { name: 'Save alerts' }).click();
    await expect.poll(() => page.locator('.hooks').textContent()).toContain('URL set');
    expect(await harness.cluster.core.secrets.get(userSecretKey('WEBHOOK_OPS'))).toBe(url);

    await page.getByRole('button', { name: 'Send test' }).click();
    await expect.poll(() => received.length).toBeGreaterThan(0);
    expect(received[0]!.path).toBe(`/hooks/${token}`);
    expect(JSON.parse(received[0]!.body).text).toContain('Test');
    await expect
      .poll(() => page.getByRole('status').first().textContent())
      .toContain('1 delivered, 0 failed');
    await expect.poll(() => page.locator('.hooks').textContent()).toContain('Delivered test');
    await harness.screenshot(page, 'alerts-en');

    // The URL (or its secret part) is nowhere the user or another program reads.
    expect(await page.content()).not.toContain(token);
    expect(frames.length).toBeGreaterThan(0);
    for (const frame of frames) expect(frame).not.toContain(token);

    const spec = await runCli(['spec'], harness.cluster.env);
    expect(spec.code).toBe(0);
    expect(spec.stdout).toMatch(/name: ops/);
    expect(spec.stdout).toMatch(/urlSecret: WEBHOOK_OPS/);
    expect(spec.stdout).toMatch(/format: slack/);
    expect(spec.stdout).toMatch(/freeMb: 2048/);
    expect(spec.stdout + spec.stderr).not.toContain(token);

    const root = harness.cluster.core.settings.paths.root;
    const auditFiles = fs.readdirSync(root).filter((name) => name.startsWith('audit'));
    const audit = auditFiles.map((name) => fs.readFileSync(path.join(root, name), 'utf8')).join('');
    expect(audit).toContain('"alerts.save"');
    expect(audit).toContain('"alerts.test"');
    expect(audit).not.toContain(token);
    await context.close();
  });

  it('speaks Japanese', async () => {
    const { page, context } = await harness.open({ locale: 'ja-JP', path: '#/alerts' });
    await page.getByRole('heading', { name: 'ルール', exact: true }).waitFor();
    await page.getByText('URL 設定済み').waitFor();
    expect(await page.textContent('body')).toContain('アラート設定を保存');
    await page.getByRole('button', { name: '編集 ops' }).click();
    await page.getByRole('button', { name: 'URL を置き換え' }).waitFor();
    await harness.screenshot(page, 'alerts-ja');
    expect(await page.content()).not.toContain(token);
    await context.close();
  });
});
