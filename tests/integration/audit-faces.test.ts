/**
 * The audit log against a real cluster: up, scale, add, retry, clean and a diagnostics fix,
 * run from the CLI (its own process) and from the browser console's API over a WebSocket, each
 * recorded with its face; the app window's MessagePort and plain HTTP callers get theirs; a
 * secret set through the API never reaches the log; the chain verifies; the support bundle
 * carries the log. One cluster for the whole file.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiClient } from '../../main/shared/contract';
import { ApiServices } from '../../main/api/context';
import type { AuditEntry } from '../../main/audit/audit-entry';
import { startConsoleServer, type ConsoleServer } from '../../main/web/console-server';
import { messagePortClient, webSocketClient, type TransportClient } from './helpers/api-clients';
import { runCli } from './helpers/run-cli';
import { createTestCluster, repoRoot, type TestCluster } from './helpers/test-cluster';

const SECRET = 'tok-7f3a9c2e51d84b06';
const PLAIN_SECRET = 'plain-value-99e1c4';

let cluster: TestCluster;
let services: ApiServices;
let server: ConsoleServer;
let ws: TransportClient;
let client: ApiClient;

async function waitForState(queue: string, id: string, state: string): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    const job = await client.queues.job({ queue, id });
    if (job.state === state) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`job ${queue}/${id} never reached ${state}`);
}

/** The newest successful entry of an action from a face. */
function has(entries: AuditEntry[], face: string, action: string): AuditEntry | undefined {
  return entries.find(
    (entry) => entry.face === face && entry.action === action && entry.outcome === 'ok',
  );
}

beforeAll(async () => {
  cluster = await createTestCluster({ workers: 1 });
  services = new ApiServices({ core: cluster.core });
  server = await startConsoleServer({
    services,
    rendererDir: path.join(repoRoot, 'out', 'renderer'),
    port: 0,
  });
  ws = await webSocketClient(server.origin, server.token);
  client = ws.client;
});

afterAll(async () => {
  ws?.close();
  await server?.close();
  await services?.close();
  await cluster?.cleanup();
});

describe('audit log across faces', () => {
  it('records the CLI actions with face cli', async () => {
    const up = await runCli(['up', '--workers', '1', '--plain'], cluster.env);
    expect(up.code, up.stderr).toBe(0);
    const scale = await runCli(['scale', '2', '--plain'], cluster.env);
    expect(scale.code, scale.stderr).toBe(0);
    const add = await runCli(['add', 'shell', '{"command": ["false"]}', '--json'], cluster.env);
    expect(add.code, add.stderr).toBe(0);
    const { id } = JSON.parse(add.stdout) as { id: string };
    await waitForState('shell', id, 'failed');
    const retry = await runCli(['retry', 'shell', id], cluster.env);
    expect(retry.code, retry.stderr).toBe(0);
    const clean = await runCli(['clean', 'echo', '--state', 'completed'], cluster.env);
    expect(clean.code, clean.stderr).toBe(0);
    const fix = await runCli(['doctor', '--fix', 'start-cluster', '--plain'], cluster.env);
    expect([0, 7], fix.stderr).toContain(fix.code);
    const bad = await runCli(['scale', '99'], cluster.env);
    expect(bad.code).toBe(2);

    const listed = await runCli(['audit', '--json', '--face', 'cli'], cluster.env);
    expect(listed.code, listed.stderr).toBe(0);
    const entries = listed.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as AuditEntry);
    expect(has(entries, 'cli', 'cluster.up')).toMatchObject({
      outcome: 'ok',
      target: `cluster:${cluster.name}`,
    });
    expect(has(entries, 'cli', 'cluster.scale')).toMatchObject({
      outcome: 'ok',
      args: { replicas: '2' },
    });
    expect(has(entries, 'cli', 'queues.add')).toMatchObject({
      outcome: 'ok',
      target: 'queue:shell',
    });
    expect(has(entries, 'cli', 'queues.retry')).toMatchObject({ target: `job:shell/${id}` });
    expect(has(entries, 'cli', 'queues.clean')).toMatchObject({
      target: 'queue:echo',
      args: { state: 'completed' },
    });
    expect(has(entries, 'cli', 'diagnostics.fix')).toMatchObject({
      outcome: 'ok',
      target: 'fix:start-cluster',
    });
    // A refused command is recorded as a failure too.
    expect(entries.find((e) => e.action === 'cluster.scale' && e.outcome === 'error')).toBeTruthy();
    for (const entry of entries) expect(entry.user.length).toBeGreaterThan(0);
  });

  it('records the console actions (WebSocket) with face console', async () => {
    await client.cluster.up({ workers: 1 });
    await client.cluster.scale({ replicas: 1 });
    const { id } = await client.queues.add({ queue: 'shell', data: { command: ['false'] } });
    await waitForState('shell', id, 'failed');
    await client.queues.retry({ queue: 'shell', id });
    await client.queues.clean({ queue: 'echo', state: 'completed' });
    await client.diagnostics.fix({ fixId: 'start-cluster' });
    await expect(client.queues.retry({ queue: 'shell', id: 'no-such-job' })).rejects.toThrow();

    const { entries } = await client.audit.list({ face: 'console' });
    expect(entries.every((entry) => entry.face === 'console')).toBe(true);
    expect(has(entries, 'console', 'cluster.up')?.target).toBe(`cluster:${cluster.name}`);
    expect(has(entries, 'console', 'cluster.scale')).toMatchObject({ args: { replicas: 1 } });
    expect(has(entries, 'console', 'queues.add')).toMatchObject({ target: 'queue:shell' });
    expect(entries.find((e) => e.action === 'queues.retry' && e.outcome === 'ok')?.target).toBe(
      `job:shell/${id}`,
    );
    expect(
      entries.find((e) => e.action === 'queues.retry' && e.outcome === 'error')?.error?.code,
    ).toBe('not-found');
    expect(has(entries, 'console', 'queues.clean')).toMatchObject({
      target: 'queue:echo',
      args: { state: 'completed' },
    });
    expect(has(entries, 'console', 'diagnostics.fix')).toMatchObject({
      target: 'fix:start-cluster',
      outcome: 'ok',
    });
    // Reads are not recorded.
    expect((await client.audit.list({ action: 'queues.job' })).matched).toBe(0);
  });

  it('records the app window (MessagePort) as app and plain HTTP as api', async () => {
    const ipc = messagePortClient(services);
    try {
      await ipc.client.queues.pause({ queue: 'echo' });
    } finally {
      ipc.close();
    }
    const response = await fetch(`${server.origin}/api/queues/resume`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-guildhall-token': server.token },
      body: JSON.stringify({ json: { queue: 'echo' } }),
    });
    expect(response.status).toBe(200);
    const { entries } = await client.audit.list({ target: 'queue:echo' });
    expect(has(entries, 'app', 'queues.pause')).toBeTruthy();
    expect(has(entries, 'api', 'queues.resume')).toBeTruthy();
  });

  it('never writes a secret set through the API', async () => {
    await client.settings.update({
      cluster: { workers: { env: { API_TOKEN: SECRET, PLAIN_VAR: PLAIN_SECRET } } },
    });
    const entry = (await client.audit.list({ action: 'settings.update' })).entries[0];
    expect(entry?.args).toMatchObject({
      cluster: { workers: { env: { API_TOKEN: '«redacted»' } } },
    });
    const files = (await fs.readdir(cluster.home)).filter((name) => name.startsWith('audit'));
    expect(files).toContain('audit.jsonl');
    for (const name of files) {
      const text = await fs.readFile(path.join(cluster.home, name), 'utf8');
      expect(text).not.toContain(SECRET);
      expect(text).not.toContain(PLAIN_SECRET);
      expect(text).not.toContain(await cluster.core.cluster.password(cluster.name));
    }
  });

  it('keeps one verifiable chain for every face, and puts it in the support bundle', async () => {
    const verify = await runCli(['audit', '--verify'], cluster.env);
    expect(verify.code, verify.stderr).toBe(0);
    expect(verify.stdout).toContain('intact');
    expect((await client.audit.verify()).ok).toBe(true);
    const bundle = await client.diagnostics.bundle();
    expect(bundle.entries).toContain('audit/audit.jsonl');
  });
});
