/**
 * The renderer's own scheme: the packaged console is served as guildhall://app/… by
 * protocol.handle instead of file://, so every page and asset carries the strict
 * Content-Security-Policy as a real response header (a header set on file:// responses never
 * applies), the pages get a proper origin instead of file://'s, and nothing outside the renderer
 * folder can be read (the same jail as the browser console's static files). Electron-free apart
 * from the scheme registration, so the responses are unit-tested.
 */
import fs from 'node:fs/promises';
import { lookupStatic } from '../web/static-files';

export const APP_SCHEME = 'guildhall';
export const APP_HOST = 'app';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
/** What the window loads in a packaged app (routes follow in the hash). */
export const APP_ENTRY_URL = `${APP_ORIGIN}/index.html`;

/** protocol.registerSchemesAsPrivileged's entry: a standard, secure scheme (before app ready). */
export const APP_SCHEME_PRIVILEGES = {
  scheme: APP_SCHEME,
  privileges: { standard: true, secure: true, supportFetchAPI: true },
} as const;

function plain(status: number, text: string, csp: string): Response {
  return new Response(text, {
    status,
    headers: {
      'Content-Type': 'text/plain; charset=utf-8',
      'Content-Security-Policy': csp,
      'X-Content-Type-Options': 'nosniff',
    },
  });
}

/** The response to a guildhall:// request: a renderer file with the CSP header, or 400/404. */
export async function appProtocolResponse(
  requestUrl: string,
  rendererDir: string,
  csp: string,
): Promise<Response> {
  let url: URL;
  try {
    url = new URL(requestUrl);
  } catch {
    return plain(400, 'Bad URL.', csp);
  }
  if (url.protocol !== `${APP_SCHEME}:` || url.host !== APP_HOST)
    return plain(404, 'Not found.', csp);
  // The path as requested; the URL parser has resolved dot segments, lookupStatic refuses the rest.
  const rawPath = requestUrl.slice(APP_ORIGIN.length).split(/[?#]/)[0] || '/';
  const found = await lookupStatic(rendererDir, rawPath === '/' ? '/index.html' : rawPath);
  if (found.kind === 'refused') return plain(400, 'Bad path.', csp);
  if (found.kind === 'not-found') return plain(404, 'Not found.', csp);
  return new Response(new Uint8Array(await fs.readFile(found.file)), {
    status: 200,
    headers: {
      'Content-Type': found.type,
      'Content-Security-Policy': csp,
      'X-Content-Type-Options': 'nosniff',
      'Cache-Control': 'no-cache',
    },
  });
}
