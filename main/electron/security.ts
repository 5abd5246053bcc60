/**
 * The window's security decisions, pure so they are unit-tested: the Content-Security-Policy,
 * which URLs are the app's own pages, which links may open in the user's browser, and which
 * permission requests are granted. window.ts applies them through Electron's hooks.
 */
import { APP_HOST, APP_SCHEME } from './app-protocol';

/** Production policy: only the app's own files; no inline scripts, no remote anything. */
const BASE_POLICY: Record<string, string[]> = {
  'default-src': ["'none'"],
  'script-src': ["'self'"],
  // Svelte transitions insert <style> elements at runtime.
  'style-src': ["'self'", "'unsafe-inline'"],
  'img-src': ["'self'", 'data:'],
  'font-src': ["'self'", 'data:'],
  'connect-src': ["'self'"],
  'object-src': ["'none'"],
  'base-uri': ["'none'"],
  'form-action': ["'none'"],
  'frame-src': ["'none'"],
  'frame-ancestors': ["'none'"],
  'worker-src': ["'self'"],
};

/**
 * The CSP header value. With a dev server (electron-vite dev), its origin and its hot-reload
 * websocket are allowed too.
 */
export function contentSecurityPolicy(devServerUrl?: string): string {
  const policy = structuredClone(BASE_POLICY);
  if (devServerUrl) {
    const origin = new URL(devServerUrl);
    const http = `${origin.protocol}//${origin.host}`;
    const ws = `${origin.protocol === 'https:' ? 'wss:' : 'ws:'}//${origin.host}`;
    policy['script-src']!.push(http);
    policy['style-src']!.push(http);
    policy['img-src']!.push(http);
    policy['connect-src']!.push(http, ws);
  }
  return Object.entries(policy)
    .map(([directive, sources]) => `${directive} ${sources.join(' ')}`)
    .join('; ');
}

/**
 * A loopback http(s) URL, as electron-vite's dev server gives in ELECTRON_RENDERER_URL; anything
 * else (a remote host, another scheme) is refused so the variable cannot point the window at a
 * foreign page.
 */
export function isLoopbackDevServerUrl(raw: string): boolean {
  const url = parseUrl(raw);
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:')) return false;
  return ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname);
}

/**
 * Whether a URL is one of the app's own pages: on the app's scheme (guildhall://app/, see
 * app-protocol.ts) in production, on the dev server's origin in development. file:// pages,
 * Guildhall's own files included, are not.
 */
export function isAppPageUrl(raw: string, app: { devServerUrl?: string | undefined }): boolean {
  const url = parseUrl(raw);
  if (!url) return false;
  if (app.devServerUrl) {
    const dev = parseUrl(app.devServerUrl);
    if (dev && url.origin === dev.origin && url.protocol === dev.protocol) return true;
  }
  if (url.protocol !== `${APP_SCHEME}:` || url.host !== APP_HOST) return false;
  if (url.username || url.password || url.port) return false;
  // The URL parser has already resolved "." and ".." segments; encoded slashes could still
  // hide one from it, so they are refused.
  return !/%2f|%5c/i.test(url.pathname);
}

/**
 * The URL to hand to the user's browser, or null when it must not be opened: only http and
 * https, with a host, without embedded credentials.
 */
export function externalUrl(raw: string): string | null {
  const url = parseUrl(raw.trim());
  if (!url) return null;
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
  if (!url.hostname || url.username || url.password) return null;
  return url.href;
}

/**
 * Permission requests from web content. Everything is denied except writing plain text to the
 * clipboard from the app's own pages (the console's "copy" buttons).
 */
export function isPermissionGranted(permission: string, fromAppPage: boolean): boolean {
  return fromAppPage && permission === 'clipboard-sanitized-write';
}

function parseUrl(raw: string): URL | null {
  try {
    return new URL(raw);
  } catch {
    return null;
  }
}
