/**
 * The browser console server as a browser (or an attacker on the same machine) meets it: the
 * token is required for the page, the API and the WebSocket; foreign Origins and Hosts are
 * refused; it listens on 127.0.0.1 only; the built renderer is served with MIME types and
 * security headers; nothing outside the renderer folder can be reached. The token is taken from
 * the query only by the page and the WebSocket, and can be rotated.
 */
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiServices } from '../../main/api/context';
import { createCore } from '../../main/core';
import { startConsoleServer, type ConsoleServer } from '../../main/web/console-server';
import { apiErrorOf, messagePortClient, webSocketClient } from './helpers/api-clients';
import { repoRoot } from './helpers/test-cluster';

const rendererDir = path.join(repoRoot, 'out', 'renderer');
let home: string;
let services: ApiServices;
let server: ConsoleServer;

interface RawResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** An HTTP request with the path sent exactly as given (no URL normalisation). */
function raw(
  rawPath: string,
  options: { method?: string; headers?: Record<string, string>; body?: string; host?: string } = {},
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: options.host ?? '127.0.0.1',
        port: server.port,
        method: options.method ?? 'GET',
        path: rawPath,
        headers: options.headers,
      },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

const api = (route: string, headers: Record<string, string> = {}) =>
  raw(`/api/${route}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ json: null }),
  });

/** Resolves with the HTTP status the upgrade was refused with, or 101 when it opened. */
function upgradeStatus(query: string, headers: Record<string, string> = {}): Promise<number> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(`ws://127.0.0.1:${server.port}/ws${query}`, { headers });
    socket.once('open', () => {
      socket.close();
      resolve(101);
    });
    socket.once('unexpected-response', (_req, res) => {
      resolve(res.statusCode ?? 0);
      res.resume();
    });
    socket.once('error', (err) => {
      if (!/Unexpected server response/.test(err.message)) reject(err);
    });
  });
}

beforeAll(async () => {
  if (!fs.existsSync(path.join(rendererDir, 'index.html'))) {
    throw new Error(`${rendererDir} is not built: run \`npx electron-vite build\` first.`);
  }
  home = fs.mkdtempSync(path.join(os.tmpdir(), 'ghweb-server-'));
  services = new ApiServices({
    core: createCore({ home, version: 'web', workerContextDir: home, env: {} }),
  });
  server = await startConsoleServer({ services, rendererDir, port: 0 });
});

afterAll(async () => {
  await server?.close();
  await services?.close();
  fs.rmSync(home, { recursive: true, force: true });
});

describe('console server', () => {
  it('prints a Jupyter-style URL on 127.0.0.1 with the token', () => {
    expect(server.url).toBe(`http://127.0.0.1:${server.port}/?token=${server.token}`);
    expect(server.token.length).toBeGreaterThanOrEqual(32);
  });

  it('answers API calls only with the right token (bearer or header)', async () => {
    expect((await api('app/info')).status).toBe(401);
    expect((await api('app/info', { authorization: 'Bearer wrong-token' })).status).toBe(401);
    expect((await api('app/info', { 'x-guildhall-token': `${server.token}x` })).status).toBe(401);
    const ok = await api('app/info', { authorization: `Bearer ${server.token}` });
    expect(ok.status).toBe(200);
    expect(JSON.parse(ok.body)).toEqual({ json: { version: 'web', transport: 'http' } });
  });

  it('takes the token from the query only for the page and the WebSocket', async () => {
    const q = `?token=${server.token}`;
    expect((await raw(`/${q}`)).status).toBe(200);
    expect(await upgradeStatus(q)).toBe(101);
    const viaQuery = await raw(`/api/app/info${q}`, { method: 'POST', body: '{}' });
    expect(viaQuery.status).toBe(401);
    const header = { 'x-guildhall-token': server.token };
    for (const download of ['/download/app-log', '/download/support-bundle/none.zip']) {
      expect((await raw(`${download}${q}`)).status, download).toBe(401);
      expect((await raw(download, { headers: header })).status, download).not.toBe(401);
    }
    expect((await raw(`/api/../${q}`)).status).not.toBe(200);
  });

  it('requires the token for the WebSocket upgrade', async () => {
    expect(await upgradeStatus('')).toBe(401);
    expect(await upgradeStatus('?token=wrong')).toBe(401);
    expect(await upgradeStatus(`?token=${server.token}`)).toBe(101);
    const client = await webSocketClient(server.origin, server.token);
    expect(await client.client.app.info()).toEqual({ version: 'web', transport: 'websocket' });
    client.close();
  });

  it("ends a WebSocket client's event subscriptions when its socket drops", async () => {
    const client = await webSocketClient(server.origin, server.token);
    const events = await client.client.events.subscribe({ topics: ['log'] });
    expect(services.hub.subscriberCount('log')).toBe(1);
    services.hub.publish('log', { level: 'info', message: 'hello' });
    expect((await events.next()).value).toMatchObject({ data: { message: 'hello' } });
    client.close();
    await expect.poll(() => services.hub.subscriberCount()).toBe(0);
  });

  it('refuses foreign Origins over HTTP (403) and for the WebSocket upgrade', async () => {
    const auth = { authorization: `Bearer ${server.token}` };
    expect((await api('app/info', { ...auth, origin: 'http://evil.example' })).status).toBe(403);
    expect(
      (await api('app/info', { ...auth, origin: `http://127.0.0.1:${server.port + 1}` })).status,
    ).toBe(403);
    expect(
      (await api('app/info', { ...auth, origin: `http://localhost:${server.port}` })).status,
    ).toBe(200);
    expect(await upgradeStatus(`?token=${server.token}`, { origin: 'http://evil.example' })).toBe(
      403,
    );
    expect(await upgradeStatus(`?token=${server.token}`, { origin: 'null' })).toBe(403);
    const page = await raw(`/?token=${server.token}`, {
      headers: { origin: 'https://evil.example' },
    });
    expect(page.status).toBe(403);
  });

  it('refuses Host names other than its own (DNS rebinding)', async () => {
    const res = await api('app/info', {
      authorization: `Bearer ${server.token}`,
      host: `attacker.example:${server.port}`,
    });
    expect(res.status).toBe(421);
  });

  it('listens on 127.0.0.1 only', async () => {
    expect(server.address.address).toBe('127.0.0.1');
    const external = Object.values(os.networkInterfaces())
      .flat()
      .find((entry) => entry && entry.family === 'IPv4' && !entry.internal);
    if (!external) return; // no non-loopback address on this machine: the bound address is the proof
    const reached = await new Promise<boolean>((resolve) => {
      const socket = net.connect({ host: external.address, port: server.port });
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    expect(reached).toBe(false);
  });

  it('serves the page only with the token, with the security headers', async () => {
    const without = await raw('/');
    expect(without.status).toBe(401);
    expect(without.body).not.toContain('<div id="app">');
    expect(without.body).toContain('/__guildhall/resume.js');

    const page = await raw(`/?token=${server.token}`);
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(page.body).toBe(fs.readFileSync(path.join(rendererDir, 'index.html'), 'utf8'));
    const metaCsp = /Content-Security-Policy"\s+content="([^"]+)"/.exec(
      fs.readFileSync(path.join(repoRoot, 'renderer', 'index.html'), 'utf8'),
    )?.[1];
    expect(metaCsp).toBeTruthy();
    expect(page.headers['content-security-policy']).toBe(`${metaCsp}; frame-ancestors 'none'`);
    expect(page.headers['x-content-type-options']).toBe('nosniff');
    expect(page.headers['referrer-policy']).toBe('no-referrer');
    expect(page.headers['x-frame-options']).toBe('DENY');
  });

  it('serves the built assets with their MIME types', async () => {
    const html = fs.readFileSync(path.join(rendererDir, 'index.html'), 'utf8');
    const script = /src="\.?(\/assets\/[^"]+\.js)"/.exec(html)?.[1];
    expect(script).toBeTruthy();
    const js = await raw(script!);
    expect(js.status).toBe(200);
    expect(js.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(js.headers['x-content-type-options']).toBe('nosniff');
    expect(js.body).toBe(fs.readFileSync(path.join(rendererDir, script!), 'utf8'));
    const resume = await raw('/__guildhall/resume.js');
    expect(resume.headers['content-type']).toBe('text/javascript; charset=utf-8');
  });

  it('refuses path traversal and lists no directories', async () => {
    for (const attempt of [
      '/../../../../etc/passwd',
      '/assets/../../package.json',
      '/%2e%2e/%2e%2e/etc/passwd',
      '/assets/%2e%2e%2f%2e%2e%2fpackage.json',
      '/..%5c..%5cpackage.json',
      '/index.html%00.js',
    ]) {
      const res = await raw(attempt);
      expect(res.status, attempt).toBe(400);
      expect(res.body).not.toContain('root:');
      expect(res.body).not.toContain('"name": "guildhall"');
    }
    expect((await raw('/assets/')).status).toBe(404);
    expect((await raw('/assets')).status).toBe(404);
    expect((await raw('/no-such-file.js')).status).toBe(404);
  });

  it('allows only POST on the API and GET/HEAD for files', async () => {
    const get = await raw('/api/app/info', { headers: { 'x-guildhall-token': server.token } });
    expect(get.status).toBe(405);
    expect((await raw('/assets/any.js', { method: 'DELETE' })).status).toBe(405);
    expect((await raw(`/?token=${server.token}`, { method: 'PUT' })).status).toBe(405);
  });

  it('rotates the token: the old one is refused at once and open sockets are closed', async () => {
    const old = server.token;
    const watcher = new WebSocket(`ws://127.0.0.1:${server.port}/ws?token=${old}`);
    await new Promise((resolve) => watcher.once('open', resolve));
    const closed = new Promise<number>((resolve) => watcher.once('close', (code) => resolve(code)));

    const client = await webSocketClient(server.origin, old);
    const { url } = await client.client.app.rotateConsoleToken();
    client.close();
    const fresh = new URL(url).searchParams.get('token')!;
    expect(fresh).not.toBe(old);
    expect(server.token).toBe(fresh);
    expect(url).toBe(server.url);
    expect(await closed).toBe(4001);

    expect((await api('app/info', { authorization: `Bearer ${old}` })).status).toBe(401);
    expect(await upgradeStatus(`?token=${old}`)).toBe(401);
    expect((await raw(`/?token=${old}`)).status).toBe(401);
    expect((await api('app/info', { authorization: `Bearer ${fresh}` })).status).toBe(200);
    expect(await upgradeStatus(`?token=${fresh}`)).toBe(101);
    expect((await raw(`/?token=${fresh}`)).status).toBe(200);
  });

  it('refuses to rotate where there is no console token (the app over IPC)', async () => {
    const ipcServices = new ApiServices({
      core: createCore({ home, version: 'ipc', workerContextDir: home, env: {} }),
    });
    const ipc = messagePortClient(ipcServices);
    try {
      const error = await apiErrorOf(ipc.client.app.rotateConsoleToken());
      expect(error.message).toBe('Only the browser console has an access token to rotate.');
    } finally {
      ipc.close();
      await ipcServices.close();
    }
  });
});
