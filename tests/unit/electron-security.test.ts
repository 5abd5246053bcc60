import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appProtocolResponse } from '../../main/electron/app-protocol';
import {
  contentSecurityPolicy,
  externalUrl,
  isAppPageUrl,
  isLoopbackDevServerUrl,
  isPermissionGranted,
} from '../../main/electron/security';

function directives(csp: string): Map<string, string[]> {
  return new Map(
    csp.split(';').map((part) => {
      const [name, ...sources] = part.trim().split(/\s+/);
      return [name!, sources];
    }),
  );
}

describe('externalUrl: which links open in the user browser', () => {
  it('passes http and https links through (normalized)', () => {
    expect(externalUrl('https://docs.bullmq.io/guide/queues')).toBe(
      'https://docs.bullmq.io/guide/queues',
    );
    expect(externalUrl('http://example.com')).toBe('http://example.com/');
    expect(externalUrl('  HTTPS://Example.COM/a?b=1#c ')).toBe('https://example.com/a?b=1#c');
  });

  it.each([
    'file:///etc/passwd',
    'javascript:alert(1)',
    'data:text/html,<script>alert(1)</script>',
    'smb://server/share',
    'ms-msdt:/id PCWDiagnostic',
    'vscode://file/x',
    'mailto:a@b.c',
    'chrome://settings',
    'ftp://example.com/file',
    'https://user:secret@example.com/',
    'https://token@example.com/',
    'not a url',
    '',
    '//example.com/path',
  ])('refuses %s', (url) => {
    expect(externalUrl(url)).toBeNull();
  });
});

describe('contentSecurityPolicy', () => {
  it('in production allows only the app itself: no inline or remote scripts, no plugins, no framing', () => {
    const csp = directives(contentSecurityPolicy());
    expect(csp.get('default-src')).toEqual(["'none'"]);
    expect(csp.get('script-src')).toEqual(["'self'"]);
    expect(csp.get('connect-src')).toEqual(["'self'"]);
    expect(csp.get('object-src')).toEqual(["'none'"]);
    expect(csp.get('frame-ancestors')).toEqual(["'none'"]);
    expect(csp.get('base-uri')).toEqual(["'none'"]);
    expect(csp.get('form-action')).toEqual(["'none'"]);
    for (const sources of csp.values()) {
      expect(sources).not.toContain("'unsafe-eval'");
      expect(sources).not.toContain('*');
      expect(sources.some((s) => s.startsWith('http'))).toBe(false);
    }
    expect(csp.get('script-src')).not.toContain("'unsafe-inline'");
  });

  it('with a dev server adds exactly its origin and its hot-reload websocket', () => {
    const csp = directives(contentSecurityPolicy('http://localhost:5173/'));
    expect(csp.get('script-src')).toEqual(["'self'", 'http://localhost:5173']);
    expect(csp.get('connect-src')).toEqual([
      "'self'",
      'http://localhost:5173',
      'ws://localhost:5173',
    ]);
    expect(csp.get('script-src')).not.toContain("'unsafe-inline'");
  });
});

describe('isLoopbackDevServerUrl', () => {
  it('accepts only loopback http(s) URLs', () => {
    expect(isLoopbackDevServerUrl('http://localhost:5173')).toBe(true);
    expect(isLoopbackDevServerUrl('http://127.0.0.1:5173/')).toBe(true);
    expect(isLoopbackDevServerUrl('http://[::1]:5173/')).toBe(true);
    expect(isLoopbackDevServerUrl('http://evil.example:5173')).toBe(false);
    expect(isLoopbackDevServerUrl('http://localhost.evil.example/')).toBe(false);
    expect(isLoopbackDevServerUrl('file:///tmp/index.html')).toBe(false);
    expect(isLoopbackDevServerUrl('garbage')).toBe(false);
  });
});

describe('isAppPageUrl', () => {
  const app = {};

  it('recognizes the renderer on the app scheme, with routes in the hash', () => {
    expect(isAppPageUrl('guildhall://app/index.html', app)).toBe(true);
    expect(isAppPageUrl('guildhall://app/index.html#/troubleshoot', app)).toBe(true);
    expect(isAppPageUrl('guildhall://app/assets/index-abc.js', app)).toBe(true);
  });

  it('refuses file:// pages (the renderer folder too), other hosts, encoded slashes and remote pages', () => {
    expect(
      isAppPageUrl('file:///opt/Guildhall/resources/app.asar/out/renderer/index.html', app),
    ).toBe(false);
    expect(isAppPageUrl('file:///etc/passwd', app)).toBe(false);
    expect(isAppPageUrl('guildhall://other/index.html', app)).toBe(false);
    expect(isAppPageUrl('guildhall://app:81/index.html', app)).toBe(false);
    expect(isAppPageUrl('guildhall://user@app/index.html', app)).toBe(false);
    expect(isAppPageUrl('guildhall://app/..%2f..%2fsecrets.json', app)).toBe(false);
    expect(isAppPageUrl('https://example.com/', app)).toBe(false);
    expect(isAppPageUrl('http://localhost:5173/', app)).toBe(false);
  });

  it('in development also recognizes the dev server origin, and nothing else on that host', () => {
    const dev = { devServerUrl: 'http://localhost:5173/' };
    expect(isAppPageUrl('http://localhost:5173/', dev)).toBe(true);
    expect(isAppPageUrl('http://localhost:5173/src/main.ts', dev)).toBe(true);
    expect(isAppPageUrl('http://localhost:5174/', dev)).toBe(false);
    expect(isAppPageUrl('https://localhost:5173/', dev)).toBe(false);
  });
});

describe('the meta tag in renderer/index.html', () => {
  it('holds the same strict policy as the header (frame-ancestors aside, which a meta tag cannot set)', async () => {
    const html = await fs.readFile(
      path.join(import.meta.dirname, '..', '..', 'renderer', 'index.html'),
      'utf8',
    );
    const meta = /Content-Security-Policy"\s+content="([^"]+)"/.exec(html)?.[1];
    expect(meta).toBe(contentSecurityPolicy().replace("; frame-ancestors 'none'", ''));
    expect(meta).not.toContain('127.0.0.1');
  });
});

describe('the app scheme (protocol.handle)', () => {
  let dir: string;
  const csp = contentSecurityPolicy();

  beforeAll(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'ghapp-scheme-'));
    await fs.mkdir(path.join(dir, 'renderer', 'assets'), { recursive: true });
    await fs.writeFile(path.join(dir, 'renderer', 'index.html'), '<!doctype html><p>console</p>');
    await fs.writeFile(path.join(dir, 'renderer', 'assets', 'app.js'), 'console.log(1);');
    await fs.writeFile(path.join(dir, 'secrets.json'), '{"redis":"pw"}');
  });
  afterAll(async () => {
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('serves the renderer with the strict CSP as a response header', async () => {
    const page = await appProtocolResponse(
      'guildhall://app/index.html',
      path.join(dir, 'renderer'),
      csp,
    );
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(page.headers.get('content-security-policy')).toBe(csp);
    expect(await page.text()).toContain('console');
    const root = await appProtocolResponse('guildhall://app/', path.join(dir, 'renderer'), csp);
    expect(await root.text()).toContain('console');
    const script = await appProtocolResponse(
      'guildhall://app/assets/app.js?v=1',
      path.join(dir, 'renderer'),
      csp,
    );
    expect(script.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(script.headers.get('content-security-policy')).toBe(csp);
  });

  it('reads nothing outside the renderer folder', async () => {
    for (const url of [
      'guildhall://app/../secrets.json',
      'guildhall://app/%2e%2e/secrets.json',
      'guildhall://app/..%2fsecrets.json',
      'guildhall://app/assets/..%5c..%5csecrets.json',
      'guildhall://other/index.html',
      'guildhall://app/missing.js',
    ]) {
      const response = await appProtocolResponse(url, path.join(dir, 'renderer'), csp);
      expect(response.status, url).not.toBe(200);
      expect(await response.text(), url).not.toContain('pw');
      expect(response.headers.get('content-security-policy')).toBe(csp);
    }
  });
});

describe('isPermissionGranted', () => {
  it('denies every permission to remote pages and everything but clipboard writes to the app', () => {
    for (const permission of [
      'media',
      'geolocation',
      'notifications',
      'openExternal',
      'clipboard-read',
      'fullscreen',
      'hid',
      'serial',
      'usb',
      'midi',
      'pointerLock',
      'fileSystem',
    ]) {
      expect(isPermissionGranted(permission, true)).toBe(false);
      expect(isPermissionGranted(permission, false)).toBe(false);
    }
    expect(isPermissionGranted('clipboard-sanitized-write', true)).toBe(true);
    expect(isPermissionGranted('clipboard-sanitized-write', false)).toBe(false);
  });
});
