/**
 * Malformed input for every procedure that takes input — wrong types, huge strings, missing and
 * unknown fields — and for procedures that do not exist, over HTTP, WebSocket and the
 * MessagePort: each answers the typed 'invalid-input' error. Raw garbage (unreadable bodies,
 * oversized requests, junk WebSocket frames) is sent to the built console server running as a
 * child process, which must still answer afterwards and stop cleanly on Ctrl+C.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createORPCClient } from '@orpc/client';
import { RPCLink as FetchLink } from '@orpc/client/fetch';
import { isContractProcedure, type AnyContractProcedure } from '@orpc/contract';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiContract, type ApiClient } from '../../main/shared/contract';
import { ApiServices } from '../../main/api/context';
import { createCore } from '../../main/core';
import { startConsoleServer, type ConsoleServer } from '../../main/web/console-server';
import {
  apiErrorOf,
  messagePortClient,
  webSocketClient,
  type TransportClient,
} from './helpers/api-clients';
import { repoRoot } from './helpers/test-cluster';

type Procedure = { path: string[]; procedure: AnyContractProcedure };

function procedures(router: object, prefix: string[] = []): Procedure[] {
  return Object.entries(router).flatMap(([key, value]): Procedure[] =>
    isContractProcedure(value)
      ? [{ path: [...prefix, key], procedure: value }]
      : procedures(value as object, [...prefix, key]),
  );
}

const all = procedures(apiContract);
const withInput = all.filter((p) => p.procedure['~orpc'].inputSchema !== undefined);

const huge = 'x'.repeat(300_000);
/** Inputs that are wrong for some procedure; each procedure gets those its schema rejects. */
const candidates: unknown[] = [
  42,
  'a string',
  true,
  [1, 2, 3],
  {},
  { unexpectedField: 1 },
  { queue: huge, id: huge, target: huge, name: huge, topics: [huge] },
  { queue: 5, id: [], replicas: 'many', number: -1, target: null, lines: 1e12, state: 'nope' },
  { queue: 'echo', id: 'x', data: {}, options: { attempts: 'ten' }, tail: -1, minutes: 0 },
  { app: { theme: 'neon' }, cluster: { workers: { replicas: 'lots' } } },
  { cluster: { redis: { port: '6379', extra: 1 } } },
  JSON.parse(`${'{"a":'.repeat(500)}1${'}'.repeat(500)}`),
];

async function rejects(procedure: AnyContractProcedure, input: unknown): Promise<boolean> {
  const schema = procedure['~orpc'].inputSchema!;
  return Boolean((await schema['~standard'].validate(input)).issues);
}

async function malformedFor(procedure: AnyContractProcedure): Promise<unknown[]> {
  const out: unknown[] = [];
  for (const input of candidates) if (await rejects(procedure, input)) out.push(input);
  return out;
}

function call(client: ApiClient, route: string[], input: unknown): Promise<unknown> {
  let target: unknown = client;
  for (const key of route) target = (target as Record<string, unknown>)[key];
  return (target as (input: unknown) => Promise<unknown>)(input);
}

function httpClient(origin: string, token: string): ApiClient {
  return createORPCClient(
    new FetchLink({ url: `${origin}/api`, headers: { authorization: `Bearer ${token}` } }),
  );
}

describe('every procedure refuses malformed input with invalid-input', () => {
  let home: string;
  let services: ApiServices;
  let server: ConsoleServer;
  let clients: TransportClient[];

  beforeAll(async () => {
    home = fs.mkdtempSync(path.join(os.tmpdir(), 'ghapi-fuzz-'));
    const core = createCore({ home, version: 'fuzz', workerContextDir: home, env: {} });
    services = new ApiServices({ core });
    server = await startConsoleServer({ services, rendererDir: path.join(home, 'none'), port: 0 });
    clients = [
      messagePortClient(services),
      await webSocketClient(server.origin, server.token),
      { name: 'websocket', client: httpClient(server.origin, server.token), close() {} },
    ];
  });

  afterAll(async () => {
    for (const c of clients ?? []) c.close();
    await server?.close();
    await services?.close();
    fs.rmSync(home, { recursive: true, force: true });
  });

  it('covers the whole contract', () => {
    expect(all.length).toBeGreaterThan(30);
    // Procedures without input accept nothing to be malformed: reads without arguments, and
    // three actions that need none (write a support bundle, mark setup as completed, rotate
    // the browser console's token).
    const noInput = all.filter((p) => !withInput.includes(p)).map((p) => p.path.join('.'));
    expect(noInput.sort()).toEqual([
      'alerts.config',
      'alerts.list',
      'app.firstLaunch',
      'app.info',
      'app.log.path',
      'app.rotateConsoleToken',
      'audit.verify',
      'cluster.status',
      'controls.limits',
      'diagnostics.bundle',
      'engine.discover',
      'engine.info',
      'flows.list',
      'queues.list',
      'queues.overview',
      'queues.workers',
      'schedules.list',
      'secrets.list',
      'settings.get',
      'setup.complete',
      'setup.host',
      'supervisor.status',
    ]);
  });

  it.each(withInput.map((p) => [p.path.join('.'), p] as const))(
    '%s',
    async (_name, { path: route, procedure }) => {
      const inputs = await malformedFor(procedure);
      expect(inputs.length).toBeGreaterThanOrEqual(4);
      for (const { client } of clients) {
        for (const input of inputs) {
          const error = await apiErrorOf(call(client, route, input));
          expect(error).toMatchObject({ orpcCode: 'BAD_REQUEST', code: 'invalid-input' });
          expect(error.message.length).toBeLessThan(2_000);
          expect(error.message).not.toContain(huge.slice(0, 1_000));
        }
      }
    },
  );

  it('answers unknown procedures with invalid-input on every transport', async () => {
    for (const { client } of clients) {
      for (const route of [
        ['nope'],
        ['cluster', 'explode'],
        ['queues', 'list', 'deeper'],
        ['__proto__', 'x'],
      ]) {
        const error = await apiErrorOf(call(client, route, {}));
        expect(error).toMatchObject({ code: 'invalid-input' });
        expect(error.message).toMatch(/no API procedure/);
      }
    }
    expect(await clients[0]!.client.app.info()).toMatchObject({ version: 'fuzz' });
  });
});

describe('the built console server survives garbage', () => {
  let child: ChildProcessWithoutNullStreams;
  let home: string;
  let origin: string;
  let token: string;
  let output = '';

  beforeAll(async () => {
    const cli = path.join(repoRoot, 'out', 'main', 'cli.js');
    if (!fs.existsSync(cli))
      throw new Error(`${cli} is missing: run \`npx electron-vite build\` first.`);
    home = fs.mkdtempSync(path.join(os.tmpdir(), 'ghapi-fuzz-child-'));
    child = spawn(process.execPath, [cli, 'console', '--port', '0'], {
      env: { ...process.env, GUILDHALL_HOME: home },
    });
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const deadline = Date.now() + 20_000;
    let match: RegExpExecArray | null;
    while (!(match = /(http:\/\/127\.0\.0\.1:\d+)\/\?token=([A-Za-z0-9_-]+)/.exec(output))) {
      if (child.exitCode !== null || Date.now() > deadline)
        throw new Error(`console server did not start:\n${output}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    origin = match[1]!;
    token = match[2]!;
  });

  afterAll(() => {
    if (child && child.exitCode === null) child.kill('SIGKILL');
    fs.rmSync(home, { recursive: true, force: true });
  });

  const post = (route: string, body: BodyInit, headers: Record<string, string> = {}) =>
    fetch(`${origin}/api/${route}`, {
      method: 'POST',
      body,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...headers },
    });

  it('answers malformed input for every procedure over its own HTTP and WebSocket', async () => {
    const http = httpClient(origin, token);
    const ws = await webSocketClient(origin, token);
    try {
      for (const { path: route, procedure } of withInput) {
        const [first, ...rest] = await malformedFor(procedure);
        for (const client of [http, ws.client]) {
          for (const input of [first, rest.at(-1)]) {
            expect(await apiErrorOf(call(client, route, input))).toMatchObject({
              code: 'invalid-input',
            });
          }
        }
      }
    } finally {
      ws.close();
    }
  });

  it('refuses unreadable and oversized HTTP bodies as invalid-input', async () => {
    const unreadable = await post('queues/jobs', '{"json": {"queue": ');
    expect(unreadable.status).toBe(400);
    expect(JSON.stringify(await unreadable.json())).toContain('invalid-input');

    const oversized = await post(
      'queues/add',
      JSON.stringify({ json: { queue: 'q', data: 'x'.repeat(3 * 1024 * 1024) } }),
    );
    expect(oversized.status).toBe(400);
    expect(JSON.stringify(await oversized.json())).toContain('The request is too large.');

    const binary = await post('settings/update', new Uint8Array([0, 255, 1, 254, 2]), {
      'content-type': 'application/octet-stream',
    });
    expect(binary.status).toBe(400);
  });

  it('shrugs off junk WebSocket frames and oversized messages', async () => {
    const url = `${origin.replace('http', 'ws')}/ws?token=${token}`;
    const junk = new WebSocket(url);
    await new Promise((resolve, reject) => junk.once('open', resolve).once('error', reject));
    junk.send('not json at all');
    junk.send(Buffer.from([0xde, 0xad, 0xbe, 0xef]));
    junk.send(JSON.stringify({ i: 1, t: 999, p: { junk: true } }));
    junk.send(JSON.stringify([1, 2, 3]));
    const closed = new Promise<number>((resolve) => junk.once('close', (code) => resolve(code)));
    junk.send('y'.repeat(3 * 1024 * 1024));
    expect(await closed).toBe(1009); // message too big: the server drops this socket only
  });

  it('still answers afterwards, and stops cleanly on Ctrl+C', async () => {
    expect(child.exitCode).toBeNull();
    const ws = await webSocketClient(origin, token);
    expect(await ws.client.app.info()).toMatchObject({ transport: 'websocket' });
    ws.close();
    expect(await httpClient(origin, token).app.info()).toMatchObject({ transport: 'http' });

    const exited = new Promise<number | null>((resolve) =>
      child.once('exit', (code) => resolve(code)),
    );
    child.kill('SIGINT');
    expect(await exited).toBe(0);
    expect(output).toContain('Console stopped.');
    expect(output).not.toMatch(/unexpected error/i);
  });
});
