/**
 * Webhook messages (main/alerts): the generic JSON body and the Slack-compatible one, backoff
 * between retries, retries against a real local receiver (5xx retried, 4xx final), URLs kept
 * out of every error, and a webhook's failure streak in the journal.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AlertRecord } from '../../main/alerts/alert-record';
import { nextDelivery } from '../../main/alerts/alert-journal';
import { jsonBody, slackBody, slackEscape } from '../../main/alerts/webhook-body';
import {
  backoffDelays,
  DEFAULT_DELIVERY_POLICY,
  postWithRetries,
  redactUrl,
} from '../../main/alerts/webhook-delivery';

const T0 = Date.UTC(2026, 11, 3, 8, 0, 0);

const alert: AlertRecord = {
  id: 'crashLoop:g-worker-1',
  rule: 'crashLoop',
  subject: 'g-worker-1',
  message:
    'Worker g-worker-1 crashed 3 times in the last 10 minutes, last exit code 1 <see logs> & more.',
  detail: { crashes: 3 },
  raisedAt: T0,
  resolvedAt: null,
};

describe('bodies', () => {
  it('the generic JSON body carries the alert with ISO times and the event', () => {
    expect(
      jsonBody({ event: 'resolved', cluster: 'g', alert: { ...alert, resolvedAt: T0 + 1000 } }),
    ).toEqual({
      source: 'guildhall',
      cluster: 'g',
      event: 'resolved',
      alert: {
        id: alert.id,
        rule: 'crashLoop',
        subject: 'g-worker-1',
        message: alert.message,
        detail: { crashes: 3 },
        raisedAt: '2026-12-03T08:00:00.000Z',
        resolvedAt: '2026-12-03T08:00:01.000Z',
      },
    });
  });

  it('the Slack body has a text fallback and blocks, with &, < and > escaped', () => {
    const body = slackBody({ event: 'raised', cluster: 'g', alert }) as {
      text: string;
      blocks: { type: string; text?: { type: string; text: string } }[];
    };
    expect(body.text).toBe(
      ':red_circle: Alert · g: Worker g-worker-1 crashed 3 times in the last 10 minutes, last exit code 1 &lt;see logs&gt; &amp; more.',
    );
    expect(body.blocks[0]).toEqual({
      type: 'section',
      text: { type: 'mrkdwn', text: expect.stringContaining('*:red_circle: Alert · g*\n') },
    });
    expect(body.blocks[1]?.type).toBe('context');
    expect(slackEscape('a<b>&c')).toBe('a&lt;b&gt;&amp;c');
    expect(
      (slackBody({ event: 'resolved', cluster: 'g', alert }) as { text: string }).text,
    ).toMatch(/^:large_green_circle: Resolved · g: /);
  });
});

describe('backoff', () => {
  it('doubles from the base delay up to the cap, one wait per retry', () => {
    expect(backoffDelays(DEFAULT_DELIVERY_POLICY)).toEqual([2_000, 4_000, 8_000]);
    expect(backoffDelays({ ...DEFAULT_DELIVERY_POLICY, attempts: 7, maxDelayMs: 10_000 })).toEqual([
      2_000, 4_000, 8_000, 10_000, 10_000, 10_000,
    ]);
    expect(backoffDelays({ ...DEFAULT_DELIVERY_POLICY, attempts: 1 })).toEqual([]);
  });
});

describe('delivery against a local receiver', () => {
  let server: http.Server;
  let base: string;
  const answers: number[] = [];
  const seen: { at: number; path: string; body: string }[] = [];

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      let body = '';
      req.on('data', (d) => (body += d));
      req.on('end', () => {
        seen.push({ at: Date.now(), path: req.url ?? '', body });
        res.statusCode = answers.shift() ?? 200;
        res.end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const policy = { attempts: 4, baseDelayMs: 50, maxDelayMs: 200, timeoutMs: 2_000 };

  it('retries a receiver answering 500 with growing waits, and stops at the first success', async () => {
    answers.push(500, 503);
    seen.length = 0;
    const outcome = await postWithRetries(`${base}/hook/T0KEN-secret`, '{"x":1}', policy);
    expect(outcome).toEqual({ ok: true, attempts: 3, error: null });
    expect(seen.map((s) => s.body)).toEqual(['{"x":1}', '{"x":1}', '{"x":1}']);
    const gaps = [seen[1]!.at - seen[0]!.at, seen[2]!.at - seen[1]!.at];
    expect(gaps[0]).toBeGreaterThanOrEqual(45);
    expect(gaps[1]).toBeGreaterThanOrEqual(95);
  });

  it('gives up after every try failed, saying why without the URL; a 4xx is final at once', async () => {
    answers.push(500, 500, 500, 500);
    const failed = await postWithRetries(`${base}/hook/T0KEN-secret`, '{}', policy);
    expect(failed).toEqual({ ok: false, attempts: 4, error: 'the receiver answered HTTP 500' });
    answers.push(404);
    seen.length = 0;
    const refused = await postWithRetries(`${base}/hook/T0KEN-secret`, '{}', policy);
    expect(refused).toEqual({ ok: false, attempts: 1, error: 'the receiver answered HTTP 404' });
    expect(seen).toHaveLength(1);
  });

  it('a receiver that is not there fails with the cause, never the URL or its token', async () => {
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const url = `http://user:pa55word@127.0.0.1:${port}/services/T0KEN/B1/SECRETPART?sig=abcdef`;
    const outcome = await postWithRetries(url, '{}', { ...policy, attempts: 2 });
    expect(outcome.ok).toBe(false);
    expect(outcome.attempts).toBe(2);
    expect(outcome.error).toMatch(/ECONNREFUSED|fetch failed/);
    for (const part of ['T0KEN', 'SECRETPART', 'sig=abcdef', 'pa55word']) {
      expect(outcome.error).not.toContain(part);
    }
  });

  it('redactUrl removes the URL, its path and its query from any text', () => {
    const url = 'https://hooks.slack.com/services/T000/B000/XXXXSECRET?x=1';
    const text = `POST ${url} failed; path /services/T000/B000/XXXXSECRET?x=1 and /services/T000/B000/XXXXSECRET`;
    const out = redactUrl(text, url);
    expect(out).not.toContain('XXXXSECRET');
    expect(out).toContain('«redacted»');
  });
});

describe('the journal of deliveries', () => {
  it('counts failures in a row and keeps the last delivery time', () => {
    const sent = {
      webhook: 'ops',
      event: 'raised' as const,
      alertId: 'a',
      attempts: 4,
      error: 'HTTP 500',
    };
    const first = nextDelivery(undefined, { ...sent, at: T0, ok: false });
    expect(first).toMatchObject({ failuresInRow: 1, lastDeliveredAt: null });
    const second = nextDelivery(first, { ...sent, at: T0 + 1, ok: false });
    expect(second.failuresInRow).toBe(2);
    const ok = nextDelivery(second, { ...sent, at: T0 + 2, ok: true, error: null, attempts: 1 });
    expect(ok).toMatchObject({ failuresInRow: 0, lastDeliveredAt: T0 + 2 });
    const again = nextDelivery(ok, { ...sent, at: T0 + 3, ok: false });
    expect(again).toMatchObject({ failuresInRow: 1, lastDeliveredAt: T0 + 2 });
  });
});
