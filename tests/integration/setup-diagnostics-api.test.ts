/**
 * The setup-wizard and troubleshooting procedures over the real transports, against a real
 * engine and cluster: first-launch state, port check (free / ours / taken with the next free
 * port), host resources, pinning an engine by hand, the smoke-test round trip, the masked and
 * revealed connection URL, diagnostics run / fix (with progress under the operation id) / mute,
 * the support bundle and its authenticated download (no password inside), the app log tail
 * (scrubbed), and opening files only in the desktop face.
 */
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiClient } from '../../main/shared/contract';
import { ApiServices } from '../../main/api/context';
import { startConsoleServer, type ConsoleServer } from '../../main/web/console-server';
import { unzipAll } from './helpers/diagnostics-helpers';
import {
  apiErrorOf,
  messagePortClient,
  webSocketClient,
  type TransportClient,
} from './helpers/api-clients';
import { createCore } from '../../main/core';
import { AlertJournal } from '../../main/alerts/alert-journal';
import {
  createTestCluster,
  repoRoot,
  workerContextDir,
  type TestCluster,
} from './helpers/test-cluster';

let cluster: TestCluster;
let services: ApiServices;
let server: ConsoleServer;
let ws: TransportClient;
let ipc: TransportClient;
let api: ApiClient;
let password: string;
const opened: string[] = [];

function get(
  rawPath: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: '127.0.0.1', port: server.port, method: 'GET', path: rawPath, headers },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks),
          }),
        );
      },
    );
    req.on('error', reject);
    req.end();
  });
}

beforeAll(async () => {
  cluster = await createTestCluster({ workers: 1 });
  await cluster.core.cluster.up();
  password = await cluster.core.cluster.password(cluster.name);
  services = new ApiServices({
    core: cluster.core,
    openPath: async (file) => {
      opened.push(file);
    },
  });
  server = await startConsoleServer({
    services,
    rendererDir: path.join(repoRoot, 'out', 'renderer'),
    port: 0,
  });
  ws = await webSocketClient(server.origin, server.token);
  ipc = messagePortClient(services);
  api = ws.client;
});

afterAll(async () => {
  ws?.close();
  ipc?.close();
  await server?.close();
  await services?.close();
  await cluster?.cleanup();
});

describe('setup procedures', () => {
  it('first launch: not for a cluster that exists; yes once it is gone and setup never ran', async () => {
    expect(await api.app.firstLaunch()).toEqual({
      setupCompleted: false,
      clusterExists: true,
      shouldRunSetup: false,
    });
    // A fresh app folder (no settings, no cluster of that name): the wizard; then, once done, not.
    const home = fs.mkdtempSync(path.join(os.tmpdir(), 'ghtest-first-'));
    const fresh = new ApiServices({
      core: createCore({ home, version: 'test', workerContextDir, env: cluster.env }),
    });
    const client = messagePortClient(fresh);
    try {
      await client.client.settings.update({ cluster: { name: `${cluster.name}-none` } });
      expect(await client.client.app.firstLaunch()).toEqual({
        setupCompleted: false,
        clusterExists: false,
        shouldRunSetup: true,
      });
      expect(await client.client.setup.complete()).toEqual({ setupCompleted: true });
      expect((await client.client.app.firstLaunch()).shouldRunSetup).toBe(false);
    } finally {
      client.close();
      await fresh.close();
      fs.rmSync(home, { recursive: true, force: true });
    }
  });

  it('checks a Redis port: ours, free, or taken with the next free one offered', async () => {
    expect(await api.setup.checkPort({ port: cluster.port })).toEqual({
      port: cluster.port,
      free: false,
      ours: true,
      suggestion: null,
      holder: null,
    });
    const blocker = net.createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const taken = (blocker.address() as net.AddressInfo).port;
    try {
      const check = await api.setup.checkPort({ port: taken });
      expect(check).toMatchObject({ port: taken, free: false, ours: false });
      expect(check.suggestion).toBeGreaterThan(taken);
      // The OS tells who holds it: this test's process.
      expect(check.holder).toMatch(new RegExp(`\\(pid ${process.pid}\\)$`));
      const again = await api.setup.checkPort({ port: check.suggestion! });
      expect(again).toMatchObject({ free: true, ours: false, suggestion: null });
      // Another cluster's name: the port is not "ours" for it.
      const other = await api.setup.checkPort({ port: cluster.port, cluster: 'ghtest-other' });
      expect(other.ours).toBe(false);
    } finally {
      blocker.close();
    }
    expect((await apiErrorOf(api.setup.checkPort({ port: 0 }))).code).toBe('invalid-input');
  });

  it('reads the host and recommends a size that fits it', async () => {
    const host = await api.setup.host();
    expect(host.cores).toBe(os.availableParallelism());
    expect(host.memoryTotalBytes).toBe(os.totalmem());
    expect(host.memoryAvailableBytes).toBeGreaterThan(0);
    expect(host.diskFreeBytes).toBeGreaterThan(0);
    expect(host.engineCpus).toBeGreaterThan(0);
    expect(host.recommendation.workers).toBeGreaterThanOrEqual(1);
    expect(host.recommendation.workers).toBeLessThanOrEqual(Math.min(4, host.cores));
    expect(host.warnings.includes('few-cores')).toBe(host.cores < 2);
  });

  it('pins an engine only where one answers; null goes back to discovery', async () => {
    const missing = await api.setup.pinEngine({ address: '/tmp/ghtest-no-engine.sock' });
    expect(missing.probe).toMatchObject({ ok: false, reason: 'socket-missing' });
    expect(missing.pinned).toBeNull();
    expect((await cluster.core.settings.load()).settings.engine.pinned).toBeNull();

    const real = await api.setup.pinEngine({ address: 'unix:///var/run/docker.sock' });
    expect(real.probe).toMatchObject({ ok: true, engineName: 'docker' });
    expect(real.pinned).toBe('unix:///var/run/docker.sock');
    expect((await api.engine.info()).endpoint.id).toBe('unix:///var/run/docker.sock');

    expect(await api.setup.pinEngine({ address: null })).toEqual({ probe: null, pinned: null });
    expect((await cluster.core.settings.load()).settings.engine.pinned).toBeNull();

    const ssh = await apiErrorOf(api.setup.pinEngine({ address: 'ssh://me@host' }));
    expect(ssh.code).toBe('invalid-input');
    expect(ssh.message).toMatch(/SSH/);
  });

  it('the smoke test sends a real job through a worker and times the round trip', async () => {
    const result = await api.setup.smokeTest();
    expect(result.queue).toBe('echo');
    expect(result.roundTripMs).toBeGreaterThan(0);
    expect(result.roundTripMs).toBeLessThan(30_000);
    expect(result.processingMs).not.toBeNull();
    const job = await api.queues.job({ queue: 'echo', id: result.jobId });
    expect(job.state).toBe('completed');
    expect(job.name).toBe('guildhall-smoke-test');
  });

  it('gives the connection URL masked unless asked to reveal it', async () => {
    const masked = await api.setup.connection({ reveal: false });
    expect(masked.url).toBe(`redis://default:••••••••@127.0.0.1:${cluster.port}`);
    expect(masked.url).not.toContain(password);
    const revealed = await api.setup.connection({ reveal: true });
    expect(revealed.url).toBe(
      `redis://default:${encodeURIComponent(password)}@127.0.0.1:${cluster.port}`,
    );
  });
});

describe('diagnostics procedures', () => {
  it('runs every check or the ones asked for, with the cluster-wide repairs', async () => {
    const run = await api.diagnostics.run();
    expect(run.results.map((r) => r.id)).toContain('workers.healthy');
    expect(run.failed).toBe(false);
    expect(run.generalFixes.map((f) => f.id)).toEqual([
      'restart-cluster',
      'reset-cluster',
      'reset-cluster-wipe',
      'factory-reset',
    ]);
    expect(run.generalFixes.find((f) => f.id === 'reset-cluster-wipe')?.confirm).toBe(cluster.name);
    const one = await api.diagnostics.run({ ids: ['host.disk'] });
    expect(one.results.map((r) => r.id)).toEqual(['host.disk']);
  });

  it('a fix streams its progress under the operation id and checks again', async () => {
    const events = await api.events.subscribe({ topics: ['progress'] });
    const seen: { operation: string; operationId: string; step: string }[] = [];
    const reading = (async () => {
      for await (const event of events) {
        if (event.topic === 'progress') seen.push(event.data);
      }
    })();
    const result = await api.diagnostics.fix({
      fixId: 'start-cluster',
      checkId: 'redis.container',
      operationId: 'ghtest-fix-1',
    });
    expect(result.outcome).toEqual({ fixId: 'start-cluster', message: 'The cluster is up.' });
    expect(result.recheck).toMatchObject({ id: 'redis.container', status: 'passed' });
    await expect.poll(() => seen.some((e) => e.operationId === 'ghtest-fix-1')).toBe(true);
    expect(seen.find((e) => e.operationId === 'ghtest-fix-1')?.operation).toBe('diagnostics.fix');
    await events.return?.();
    await reading.catch(() => {});
  });

  it('refuses a destructive fix without its typed confirmation', async () => {
    const refused = await apiErrorOf(api.diagnostics.fix({ fixId: 'reset-cluster-wipe' }));
    expect(refused.code).toBe('invalid-input');
    expect(refused.hint).toContain(`Type "${cluster.name}"`);
    const unknown = await apiErrorOf(api.diagnostics.fix({ fixId: 'no-such-fix' }));
    expect(unknown.message).toContain('Unknown fix');
  });

  it('mutes and unmutes a check', async () => {
    expect(await api.diagnostics.mute({ id: 'jobs.stalling', muted: true })).toEqual({
      muted: ['jobs.stalling'],
    });
    const run = await api.diagnostics.run({ ids: ['jobs.stalling'] });
    expect(run.results[0]?.muted).toBe(true);
    expect(await api.diagnostics.mute({ id: 'jobs.stalling', muted: false })).toEqual({
      muted: [],
    });
    expect((await apiErrorOf(api.diagnostics.mute({ id: 'no.such', muted: true }))).code).toBe(
      'not-found',
    );
  });
});

describe('support bundle, app log and files', () => {
  it('writes the bundle in the app folder; the browser downloads it with the token only', async () => {
    const bundle = await api.diagnostics.bundle();
    expect(bundle.path.startsWith(path.join(cluster.home, 'support-bundles'))).toBe(true);
    expect(fs.existsSync(bundle.path)).toBe(true);
    expect(bundle.downloadUrl).toBe(`/download/support-bundle/${bundle.fileName}`);
    expect(bundle.canOpen).toBe(true);
    expect(bundle.sizeBytes).toBe(fs.statSync(bundle.path).size);

    expect((await get(bundle.downloadUrl!)).status).toBe(401);
    const answer = await get(bundle.downloadUrl!, { 'x-guildhall-token': server.token });
    expect(answer.status).toBe(200);
    expect(answer.headers['content-type']).toBe('application/zip');
    expect(answer.headers['content-disposition']).toBe(`attachment; filename="${bundle.fileName}"`);
    const file = path.join(cluster.home, 'downloaded.zip');
    fs.writeFileSync(file, answer.body);
    const entries = await unzipAll(file);
    expect(entries.has('diagnostics.json')).toBe(true);
    for (const [name, content] of entries) {
      expect(content.includes(password), `${name} holds the password`).toBe(false);
    }
    const auth = { 'x-guildhall-token': server.token };
    expect((await get('/download/support-bundle/..%2Fsettings.json', auth)).status).toBe(404);
    expect((await get('/download/support-bundle/guildhall-support-1.zip', auth)).status).toBe(404);
    expect((await get('/download/elsewhere', auth)).status).toBe(404);

    // In the desktop app there is nothing to download: the file is opened instead.
    const inApp = await ipc.client.diagnostics.bundle();
    expect(inApp.downloadUrl).toBeNull();
  });

  it("holds the alerts' state as alerts.json: deliveries by name, never a webhook URL", async () => {
    const token = `tok${Date.now().toString(36)}secret`;
    const receiver = http.createServer((req, res) => {
      req.resume();
      req.on('end', () => res.writeHead(req.url?.includes('/ok/') ? 200 : 404).end());
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    const base = `http://127.0.0.1:${(receiver.address() as net.AddressInfo).port}`;
    try {
      const { rules } = await api.alerts.config();
      const saved = await api.alerts.save({
        rules,
        webhooks: [
          { name: 'ops', format: 'json', rules: [], url: `${base}/ok/${token}` },
          { name: 'broken', format: 'slack', rules: [], url: `${base}/gone/${token}?key=${token}` },
        ],
      });
      expect(saved.webhooks.map((w) => [w.name, w.urlStored])).toEqual([
        ['ops', true],
        ['broken', true],
      ]);
      expect(JSON.stringify(saved)).not.toContain(token);
      const sent = await api.alerts.test({});
      expect(sent.deliveries.map((d) => [d.webhook, d.ok])).toEqual([
        ['ops', true],
        ['broken', false],
      ]);
      // Planted where only the bundle's own redaction can remove it: an active alert and a
      // delivery error quoting the URL's path and query, as an older version might have written.
      const journal = new AlertJournal(cluster.core.settings.paths.root);
      await journal.update((state) => ({
        ...state,
        active: [
          {
            id: 'diskLow:disk',
            rule: 'diskLow',
            subject: 'disk',
            message: 'Only 300 MiB free.',
            detail: { freeMb: 300, limitMb: 1024 },
            raisedAt: Date.now(),
            resolvedAt: null,
          },
        ],
        deliveries: state.deliveries.map((line) =>
          line.webhook === 'broken'
            ? { ...line, error: `POST /gone/${token}?key=${token} failed` }
            : line,
        ),
      }));

      const bundle = await api.diagnostics.bundle();
      const entries = await unzipAll(bundle.path);
      expect(entries.get('README.txt')!.toString()).toContain('alerts.json');
      const text = entries.get('alerts.json')!.toString();
      const alerts = JSON.parse(text);
      expect(alerts.active.map((a: { id: string }) => a.id)).toEqual(['diskLow:disk']);
      expect(
        alerts.deliveries.map((d: { webhook: string; ok: boolean }) => [d.webhook, d.ok]),
      ).toEqual([
        ['broken', false],
        ['ops', true],
      ]);
      expect(alerts.webhooks.map((w: { name: string }) => w.name)).toEqual(['ops', 'broken']);
      for (const [name, content] of entries) {
        const body = content.toString('utf8');
        expect(body.includes(token), `${name} holds the webhook URL`).toBe(false);
        expect(body.includes(base), `${name} holds the webhook URL`).toBe(false);
      }
    } finally {
      await api.alerts.save({ rules: (await api.alerts.config()).rules, webhooks: [] });
      await new Promise((resolve) => receiver.close(resolve));
    }
  });

  it("tails the app's own log with secrets removed, also in the download", async () => {
    const logFile = path.join(cluster.home, 'logs', 'guildhall.log');
    // A line written before the password was known to the logger (or by a foreign tool).
    fs.appendFileSync(
      logFile,
      `${JSON.stringify({ t: new Date().toISOString(), level: 'warn', msg: `leaked ${password}` })}\n`,
    );
    const tail = await api.app.log.tail({ lines: 50 });
    expect(tail.file).toBe(logFile);
    expect(
      tail.entries.some((e) => e.message === 'checks finished' && e.scope === 'diagnostics'),
    ).toBe(true);
    const leaked = tail.entries.find((e) => e.message.startsWith('leaked '));
    expect(leaked?.level).toBe('warn');
    expect(JSON.stringify(tail)).not.toContain(password);
    expect(tail.entries.length).toBeLessThanOrEqual(50);

    const where = await api.app.log.path();
    expect(where).toEqual({ path: logFile, downloadUrl: '/download/app-log', canOpen: true });
    const answer = await get('/download/app-log', { authorization: `Bearer ${server.token}` });
    expect(answer.status).toBe(200);
    expect(answer.body.toString()).toContain('leaked «redacted»');
    expect(answer.body.includes(password)).toBe(false);
  });

  it('opens only the app’s own logs and bundles, and only where the face can', async () => {
    const logFile = path.join(cluster.home, 'logs', 'guildhall.log');
    expect(await api.app.openPath({ path: logFile })).toEqual({ opened: true });
    expect(opened).toEqual([logFile]);
    const outside = await apiErrorOf(api.app.openPath({ path: '/etc/passwd' }));
    expect(outside.code).toBe('invalid-input');
    const sneaky = await apiErrorOf(
      api.app.openPath({ path: path.join(cluster.home, 'logs', '..', 'settings.json') }),
    );
    expect(sneaky.code).toBe('invalid-input');
    expect(opened).toHaveLength(1);

    const browserOnly = new ApiServices({ core: cluster.core });
    const plain = messagePortClient(browserOnly);
    try {
      const refused = await apiErrorOf(plain.client.app.openPath({ path: logFile }));
      expect(refused.message).toContain('only in the Guildhall app');
      expect((await plain.client.app.log.path()).canOpen).toBe(false);
    } finally {
      plain.close();
      await browserOnly.close();
    }
  });
});
