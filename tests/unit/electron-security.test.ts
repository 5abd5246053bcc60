import { describe, expect, it } from 'vitest';
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
  const app = { rendererDirUrl: 'file:///opt/Guildhall/resources/app.asar/out/renderer/' };

  it('recognizes the renderer files, with routes in the hash', () => {
    expect(isAppPageUrl(`${app.rendererDirUrl}index.html`, app)).toBe(true);
    expect(isAppPageUrl(`${app.rendererDirUrl}index.html#/troubleshoot`, app)).toBe(true);
    expect(isAppPageUrl(`${app.rendererDirUrl}assets/index-abc.js`, app)).toBe(true);
  });

  it('refuses other files, traversal out of the renderer folder and remote pages', () => {
    expect(isAppPageUrl('file:///etc/passwd', app)).toBe(false);
    expect(isAppPageUrl(`${app.rendererDirUrl}../../../../etc/passwd`, app)).toBe(false);
    expect(isAppPageUrl(`${app.rendererDirUrl}%2e%2e/main/index.js`, app)).toBe(false);
    expect(isAppPageUrl(`${app.rendererDirUrl}..%2f..%2fsecrets.json`, app)).toBe(false);
    expect(
      isAppPageUrl('file:///opt/Guildhall/resources/app.asar/out/renderer-evil/x.html', app),
    ).toBe(false);
    expect(isAppPageUrl('https://example.com/', app)).toBe(false);
    expect(isAppPageUrl('http://localhost:5173/', app)).toBe(false);
  });

  it('in development also recognizes the dev server origin, and nothing else on that host', () => {
    const dev = { ...app, devServerUrl: 'http://localhost:5173/' };
    expect(isAppPageUrl('http://localhost:5173/', dev)).toBe(true);
    expect(isAppPageUrl('http://localhost:5173/src/main.ts', dev)).toBe(true);
    expect(isAppPageUrl('http://localhost:5174/', dev)).toBe(false);
    expect(isAppPageUrl('https://localhost:5173/', dev)).toBe(false);
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
