/**
 * Alerts reaching people, on a real engine: the supervisor's alert duty (driven tick by tick
 * here, with the real core's status) sends a crash-looping worker's alert to a webhook receiver
 * (a local HTTP server) within 10 s of the worker's third crash, exactly once while the crash
 * loop lasts, and "resolved" once after it stops; a webhook whose receiver fails is retried with
 * backoff and its failure shows in `guildhall alerts`, the API and the console's 'alerts' topic
 * — and its URL, a secret, appears in none of them, nor in the journal or the audit log.
 */
import fs from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AlertDuty } from '../../main/alerts/alert-duty';
import { ALERTS_FILE } from '../../main/alerts/alert-journal';
import { ApiServices } from '../../main/api/context';
import type { ApiEvent } from '../../main/shared/contract';
import type { ClusterSpec } from '../../main/settings/cluster-spec';
import { setUserSecret } from '../../main/settings/user-secrets';
import type { SupervisorEventInput } from '../../main/supervisor/duty';
import { messagePortClient, type TransportClient } from './helpers/api-clients';
import { waitFor } from './helpers/queues-fixture';
import { runCli } from './helpers/run-cli';
import { createTestCluster, docker, type TestCluster } from './helpers/test-cluster';

const NODE_IMAGE = process.env.GUILDHALL_WORKER_BASE_IMAGE ?? 'guildhall-offline/node:bookworm';
/** In every URL below: the part of a webhook URL that is its credential. */
const TOKEN = 'T0KEN-4f9c2b7e';

interface Received {
  at: number;
  path: string;
  body: Record<string, unknown>;
}

/** A webhook receiver: records what it gets, answers with `answers` in turn (then 200). */
async function startReceiver(answers: number[] = []) {
  const received: Received[] = [];
  const server = http.createServer((req, res) => {
    let text = '';
    req.on('data', (d) => (text += d));
    req.on('end', () => {
      received.push({
        at: Date.now(),
        path: req.url ?? '',
        body: JSON.parse(text) as Record<string, unknown>,
      });
      res.statusCode = answers.shift() ?? 200;
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = (name: string) =>
    `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/${name}/${TOKEN}`;
  return { received, url, close: () => new Promise<void>((r) => server.close(() => r())) };
}

let cluster: TestCluster;
let receiver: Awaited<ReturnType<typeof startReceiver>>;

beforeAll(async () => {
  cluster = await createTestCluster({ workers: 0 });
  receiver = await startReceiver();
});
afterAll(async () => {
  await receiver?.close();
  await cluster?.cleanup();
});

async function setCluster(change: (spec: ClusterSpec) => Partial<ClusterSpec>): Promise<void> {
  await cluster.core.settings.update((s) => ({
    ...s,
    cluster: { ...s.cluster, ...change(s.cluster) },
  }));
}

describe('alerts to webhooks', () => {
  it('a crash loop reaches the webhook within 10 s of the third crash, once, then "resolved" once', async () => {
    await setUserSecret(cluster.core.secrets, 'OPS_HOOK', receiver.url('ops'));
    await setCluster((spec) => ({
      pools: {
        crashy: {
          image: NODE_IMAGE,
          command: ['sh', '-c', 'sleep 3; exit 1'],
          replicas: 1,
          memoryMb: 64,
          stopTimeoutSeconds: 1,
        },
      } as unknown as ClusterSpec['pools'],
      alerts: {
        ...spec.alerts,
        webhooks: [{ name: 'ops', urlSecret: 'OPS_HOOK', format: 'json', rules: ['crashLoop'] }],
      },
    }));
    const worker = `${cluster.name}-crashy-1`;
    const duty = new AlertDuty({ delivery: { baseDelayMs: 200 } });
    const recorded: SupervisorEventInput[] = [];
    const supervising = new AbortController();
    const tick = async () =>
      duty.tick({
        core: cluster.core,
        status: await cluster.core.cluster.status(),
        now: Date.now(),
        record: (event) => recorded.push(event),
        signal: supervising.signal,
      });
    const raised = () => receiver.received.filter((r) => r.body.event === 'raised');
    const resolved = () => receiver.received.filter((r) => r.body.event === 'resolved');

    // The engine's own record of each crash of the worker.
    const deaths: number[] = [];
    const events = (await docker.getEvents({
      filters: { container: [worker], event: ['die'] },
    })) as NodeJS.ReadableStream & { destroy(): void };
    events.on('data', (chunk: Buffer) => {
      for (const line of chunk.toString().split('\n').filter(Boolean)) {
        const event = JSON.parse(line) as { timeNano?: number; time: number };
        deaths.push(event.timeNano ? Math.floor(event.timeNano / 1e6) : event.time * 1000);
      }
    });
    try {
      await cluster.core.cluster.up();
      await waitFor(
        async () => {
          await tick();
          return raised().length > 0;
        },
        90_000,
        'the crash-loop alert at the webhook',
        1_000,
      );
      expect(deaths.length).toBeGreaterThanOrEqual(3);
      const third = deaths[2]!;
      expect(raised()[0]!.at - third).toBeLessThan(10_000);
      expect(raised()[0]!.body).toMatchObject({
        source: 'guildhall',
        cluster: cluster.name,
        event: 'raised',
        alert: { id: `crashLoop:${worker}`, rule: 'crashLoop', subject: worker, resolvedAt: null },
      });
      expect(raised()[0]!.path).toBe(`/hooks/ops/${TOKEN}`);

      // It keeps crashing: still one message.
      const crashesBefore = deaths.length;
      await waitFor(
        async () => {
          await tick();
          return deaths.length >= crashesBefore + 2;
        },
        60_000,
        'two more crashes',
        1_000,
      );
      await duty.idle();
      expect(raised()).toHaveLength(1);
      expect(resolved()).toHaveLength(0);
      const listed = JSON.parse((await runCli(['alerts', '--json'], cluster.env)).stdout) as {
        active: { id: string }[];
      };
      expect(listed.active.map((a) => a.id)).toContain(`crashLoop:${worker}`);

      // The crash loop stops: the pool is removed.
      await setCluster(() => ({ pools: {} }));
      await cluster.core.cluster.up();
      await waitFor(
        async () => {
          await tick();
          await duty.idle();
          return resolved().length > 0;
        },
        30_000,
        'the resolved message',
        1_000,
      );
      for (let i = 0; i < 3; i++) await tick();
      await duty.idle();
      expect(raised()).toHaveLength(1);
      expect(resolved()).toHaveLength(1);
      expect(resolved()[0]!.body).toMatchObject({
        event: 'resolved',
        alert: { id: `crashLoop:${worker}`, resolvedAt: expect.any(String) },
      });
      expect(recorded.map((e) => `${e.action} ${e.target}`)).toEqual([
        `alert-raised ${worker}`,
        `alert-resolved ${worker}`,
      ]);
      const cli = await runCli(['alerts'], cluster.env);
      expect(cli.code).toBe(0);
      expect(cli.stdout).toMatch(
        new RegExp(`Recently resolved \\(1\\):[\\s\\S]*crashLoop  ${worker}`),
      );
      expect(cli.stdout).toMatch(/ops {2}delivered resolved/);
    } finally {
      events.destroy();
      supervising.abort();
      await duty.stop();
    }
  });

  it('a failing webhook is retried with backoff, and its failure shows in the CLI, the API and the console', async () => {
    const down = await startReceiver([500, 500, 500, 500, 500, 500]);
    const flaky = await startReceiver([500, 503]);
    const services = new ApiServices({ core: cluster.core });
    let ipc: TransportClient | undefined;
    try {
      await setUserSecret(cluster.core.secrets, 'DOWN_HOOK', down.url('down'));
      await setUserSecret(cluster.core.secrets, 'FLAKY_HOOK', flaky.url('flaky'));
      await setCluster((spec) => ({
        alerts: {
          ...spec.alerts,
          webhooks: [
            { name: 'down', urlSecret: 'DOWN_HOOK', format: 'slack', rules: [] },
            { name: 'flaky', urlSecret: 'FLAKY_HOOK', format: 'json', rules: [] },
          ],
        },
      }));

      // The CLI: four tries (waits of 2, 4 and 8 s between them), then the failure, exit 1.
      const cli = await runCli(['alerts', 'test', '--webhook', 'down'], cluster.env);
      expect(cli.code).toBe(1);
      expect(cli.stdout).toMatch(
        /down {2}FAILED test at \S+ after 4 tries: the receiver answered HTTP 500 \(1 in a row; never delivered\)/,
      );
      expect(down.received).toHaveLength(4);
      const gaps = down.received.slice(1).map((r, i) => r.at - down.received[i]!.at);
      expect(gaps[0]).toBeGreaterThanOrEqual(1_900);
      expect(gaps[2]).toBeGreaterThanOrEqual(7_900);
      expect(down.received[0]!.body).toMatchObject({
        text: expect.stringMatching(/^:information_source: Test/),
      });

      // The API: the flaky one answers 500 twice, then takes the message.
      ipc = messagePortClient(services);
      const result = await ipc.client.alerts.test({ webhook: 'flaky' });
      expect(result.deliveries).toEqual([
        expect.objectContaining({
          webhook: 'flaky',
          event: 'test',
          ok: true,
          attempts: 3,
          failuresInRow: 0,
        }),
      ]);
      expect(flaky.received).toHaveLength(3);
      const list = await ipc.client.alerts.list();
      expect(list.deliveries).toEqual(
        expect.arrayContaining([
          expect.objectContaining({
            webhook: 'down',
            ok: false,
            attempts: 4,
            error: 'the receiver answered HTTP 500',
            failuresInRow: 1,
            lastDeliveredAt: null,
          }),
          expect.objectContaining({ webhook: 'flaky', ok: true }),
        ]),
      );

      // The console: the 'alerts' topic carries the journal with the failure.
      const stream = await ipc.client.events.subscribe({ topics: ['alerts'] });
      let shown: ApiEvent | undefined;
      const deadline = Date.now() + 15_000;
      while (!shown && Date.now() < deadline) {
        const next = await stream.next();
        if (next.done) break;
        const data = next.value.data as {
          journal?: { deliveries: { webhook: string; ok: boolean }[] };
        };
        if (data.journal?.deliveries.some((d) => d.webhook === 'down' && !d.ok)) shown = next.value;
      }
      await stream.return?.(undefined);
      expect(shown?.topic).toBe('alerts');

      // The URL is a secret: nowhere it could leak.
      const audit = await fs.readFile(path.join(cluster.home, 'audit.jsonl'), 'utf8');
      const tests = audit
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line) as { face: string; action: string; target: string })
        .filter((entry) => entry.action === 'alerts.test')
        .map((entry) => `${entry.face} ${entry.target}`);
      // The CLI's run failed (a webhook failed); the window's (MessagePort: the app) did not.
      expect(tests).toEqual(['cli webhook:down', 'app webhook:flaky']);
      const journal = await fs.readFile(path.join(cluster.home, ALERTS_FILE), 'utf8');
      for (const text of [audit, journal, cli.stdout, cli.stderr, JSON.stringify(list)]) {
        expect(text).not.toContain(TOKEN);
      }
    } finally {
      ipc?.close();
      await services.close();
      await down.close();
      await flaky.close();
    }
  });
});
