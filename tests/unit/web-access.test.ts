/** The console server's gatekeeping pieces: token checks, Host/Origin checks and the static-file jail. */
import fs from 'node:fs/promises';
import type { IncomingMessage } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkAccess, consoleOrigins, generateToken, tokensMatch } from '../../main/web/access';
import { lookupStatic, mimeType } from '../../main/web/static-files';

function request(headers: Record<string, string>): IncomingMessage {
  return { headers } as unknown as IncomingMessage;
}

describe('console access checks', () => {
  const token = generateToken();
  const allowed = consoleOrigins(4000);
  const url = (query = '', pathname = '/') => new URL(`http://127.0.0.1:4000${pathname}${query}`);

  it('makes unguessable tokens and compares them exactly', () => {
    expect(token).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(generateToken()).not.toBe(token);
    expect(tokensMatch(token, token)).toBe(true);
    expect(tokensMatch(token.slice(0, -1), token)).toBe(false);
    expect(tokensMatch(`${token}x`, token)).toBe(false);
    expect(tokensMatch('', token)).toBe(false);
    expect(tokensMatch(null, token)).toBe(false);
  });

  it('accepts the token from the query, a bearer header or X-Guildhall-Token', () => {
    const host = { host: '127.0.0.1:4000' };
    expect(checkAccess(request(host), url(`?token=${token}`), allowed, token, true)).toBe('ok');
    expect(
      checkAccess(
        request({ ...host, authorization: `Bearer ${token}` }),
        url(),
        allowed,
        token,
        true,
      ),
    ).toBe('ok');
    expect(
      checkAccess(request({ ...host, 'x-guildhall-token': token }), url(), allowed, token, true),
    ).toBe('ok');
    expect(checkAccess(request(host), url(), allowed, token, true)).toBe('no-token');
    expect(checkAccess(request(host), url('?token=nope'), allowed, token, true)).toBe('bad-token');
    expect(checkAccess(request(host), url(), allowed, token, false)).toBe('ok');
  });

  it('takes the token from the query only for the page and the WebSocket, never the API or downloads', () => {
    const host = { host: '127.0.0.1:4000' };
    const q = `?token=${token}`;
    for (const pathname of ['/', '/ws']) {
      expect(checkAccess(request(host), url(q, pathname), allowed, token, true), pathname).toBe(
        'ok',
      );
    }
    for (const pathname of [
      '/api/app/info',
      '/api',
      '/download/support/x.zip',
      '/download/app-log',
    ]) {
      expect(checkAccess(request(host), url(q, pathname), allowed, token, true), pathname).toBe(
        'no-token',
      );
      const header = { ...host, 'x-guildhall-token': token };
      expect(checkAccess(request(header), url(q, pathname), allowed, token, true)).toBe('ok');
    }
    // The path as sent counts: a dot segment that normalises to `/` is not the page.
    const sneaky = { url: `/api/../${q}`, headers: host } as unknown as IncomingMessage;
    expect(checkAccess(sneaky, url(q, '/'), allowed, token, true)).toBe('no-token');
  });

  it('refuses foreign Origins and Hosts even with the right token', () => {
    const q = `?token=${token}`;
    expect(
      checkAccess(
        request({ host: 'localhost:4000', origin: 'http://localhost:4000' }),
        url(q),
        allowed,
        token,
        true,
      ),
    ).toBe('ok');
    expect(
      checkAccess(
        request({ host: '127.0.0.1:4000', origin: 'http://evil.example' }),
        url(q),
        allowed,
        token,
        true,
      ),
    ).toBe('foreign-origin');
    expect(
      checkAccess(
        request({ host: '127.0.0.1:4000', origin: 'http://127.0.0.1:4001' }),
        url(q),
        allowed,
        token,
        true,
      ),
    ).toBe('foreign-origin');
    expect(
      checkAccess(
        request({ host: '127.0.0.1:4000', origin: 'null' }),
        url(q),
        allowed,
        token,
        true,
      ),
    ).toBe('foreign-origin');
    expect(checkAccess(request({ host: 'evil.example:4000' }), url(q), allowed, token, true)).toBe(
      'bad-host',
    );
  });
});

describe('static files', () => {
  let root: string;
  let outside: string;

  beforeAll(async () => {
    const base = await fs.mkdtemp(path.join(os.tmpdir(), 'ghweb-'));
    root = path.join(base, 'renderer');
    outside = path.join(base, 'secret.txt');
    await fs.mkdir(path.join(root, 'assets'), { recursive: true });
    await fs.writeFile(path.join(root, 'index.html'), '<!doctype html>');
    await fs.writeFile(path.join(root, 'assets', 'app.js'), 'export {}');
    await fs.writeFile(outside, 'secret');
    await fs.symlink(outside, path.join(root, 'assets', 'link.txt'));
  });

  afterAll(async () => {
    await fs.rm(path.dirname(root), { recursive: true, force: true });
  });

  it('serves files with their MIME type, / as index.html', async () => {
    expect(await lookupStatic(root, '/')).toMatchObject({
      kind: 'file',
      type: 'text/html; charset=utf-8',
    });
    expect(await lookupStatic(root, '/assets/app.js')).toMatchObject({
      kind: 'file',
      type: 'text/javascript; charset=utf-8',
    });
    expect(mimeType('a.css')).toBe('text/css; charset=utf-8');
    expect(mimeType('a.unknown')).toBe('application/octet-stream');
  });

  it('lists no directories and finds no missing files', async () => {
    expect(await lookupStatic(root, '/assets')).toEqual({ kind: 'not-found' });
    expect(await lookupStatic(root, '/assets/')).toEqual({ kind: 'not-found' });
    expect(await lookupStatic(root, '/nope.js')).toEqual({ kind: 'not-found' });
  });

  it('refuses every way out of the folder', async () => {
    for (const attempt of [
      '/../secret.txt',
      '/assets/../../secret.txt',
      '/%2e%2e/secret.txt',
      '/assets/%2E%2E%2F%2E%2E%2Fsecret.txt',
      '/..%5csecret.txt',
      '/assets/app.js%00.html',
      '/%E0%A4%A',
      '/assets/link.txt',
    ]) {
      expect(await lookupStatic(root, attempt), attempt).toEqual({ kind: 'refused' });
    }
  });
});
