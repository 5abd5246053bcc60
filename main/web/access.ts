/**
 * Who may use the browser console: requests must carry the console's token (`Authorization:
 * Bearer` or `X-Guildhall-Token`; the query `token` only where a browser cannot send a header:
 * the page itself and the WebSocket upgrade), compared in constant time; the Host must be the
 * console itself (no DNS rebinding) and an Origin, when sent, must be the console's own. A token
 * in a URL ends up in history, logs and Referer headers, so API calls and downloads refuse it.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, OutgoingHttpHeaders } from 'node:http';
import { WEB_CONSOLE } from '@shared/schemas/transport';

export function generateToken(): string {
  return randomBytes(24).toString('base64url');
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}

/** Constant-time comparison (hashing first makes the lengths equal). */
export function tokensMatch(given: string | null | undefined, expected: string): boolean {
  if (typeof given !== 'string' || given.length === 0 || given.length > 512) return false;
  return timingSafeEqual(digest(given), digest(expected));
}

/** Paths where the token may come in the query: the page (`/`) and the WebSocket upgrade. */
export function queryTokenAllowed(pathname: string): boolean {
  return pathname === '/' || pathname === '/index.html' || pathname === WEB_CONSOLE.websocketPath;
}

export function tokenFrom(request: IncomingMessage, url: URL): string | null {
  // The path as sent (no dot-segment normalisation), so `/api/../` never counts as the page.
  const sentPath = request.url === undefined ? url.pathname : (request.url.split('?')[0] ?? '');
  const fromQuery =
    queryTokenAllowed(sentPath) && queryTokenAllowed(url.pathname)
      ? url.searchParams.get(WEB_CONSOLE.tokenParam)
      : null;
  if (fromQuery) return fromQuery;
  const header = request.headers['x-guildhall-token'];
  if (typeof header === 'string' && header) return header;
  const auth = request.headers.authorization;
  const bearer = auth ? /^Bearer\s+(\S+)$/i.exec(auth) : null;
  return bearer?.[1] ?? null;
}

export interface Origins {
  /** Host header values the console answers to. */
  hosts: Set<string>;
  /** Origin header values allowed. */
  origins: Set<string>;
}

export function consoleOrigins(port: number): Origins {
  const hosts = new Set([`127.0.0.1:${port}`, `localhost:${port}`]);
  return { hosts, origins: new Set([...hosts].map((host) => `http://${host}`)) };
}

export type AccessVerdict = 'ok' | 'bad-host' | 'foreign-origin' | 'no-token' | 'bad-token';

/** Checks Host and Origin, and the token unless `needsToken` is false. */
export function checkAccess(
  request: IncomingMessage,
  url: URL,
  allowed: Origins,
  token: string,
  needsToken: boolean,
): AccessVerdict {
  if (!allowed.hosts.has(String(request.headers.host ?? '').toLowerCase())) return 'bad-host';
  const origin = request.headers.origin;
  if (origin !== undefined && !allowed.origins.has(origin)) return 'foreign-origin';
  if (!needsToken) return 'ok';
  const given = tokenFrom(request, url);
  if (!given) return 'no-token';
  return tokensMatch(given, token) ? 'ok' : 'bad-token';
}

export function verdictStatus(verdict: Exclude<AccessVerdict, 'ok'>): {
  status: number;
  text: string;
} {
  switch (verdict) {
    case 'bad-host':
      return { status: 421, text: 'This console answers only on 127.0.0.1 or localhost.' };
    case 'foreign-origin':
      return { status: 403, text: 'Requests from other sites are refused.' };
    case 'no-token':
    case 'bad-token':
      return {
        status: 401,
        text: 'This console needs its access token. Open the URL printed by `guildhall console` (it ends with ?token=…); API calls send it in an Authorization: Bearer or X-Guildhall-Token header.',
      };
  }
}

/**
 * The renderer's CSP (renderer/index.html, the same policy the desktop app sends as a header:
 * main/electron/security.ts), plus no framing. 'self' covers the console's own WebSocket.
 */
export const CONTENT_SECURITY_POLICY =
  "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'; frame-src 'none'; worker-src 'self'; frame-ancestors 'none'";

export const SECURITY_HEADERS: OutgoingHttpHeaders = {
  'Content-Security-Policy': CONTENT_SECURITY_POLICY,
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'X-Frame-Options': 'DENY',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
};
