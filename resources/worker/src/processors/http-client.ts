/**
 * One HTTP exchange for the `http` queue over node:http/https, following redirects by hand so
 * every hop goes through the network guard (network-guard.ts): an IP literal is checked before
 * connecting, a name inside the connection's lookup. Redirects behave like fetch's: at most 10;
 * 303 (and 301/302 after a POST) continue as GET without a body; credentials are not carried to
 * another origin.
 */
import http, { type IncomingMessage, type OutgoingHttpHeaders } from 'node:http';
import https from 'node:https';
import { isIP } from 'node:net';
import {
  BlockedAddressError,
  blockedReason,
  guardedLookup,
  type NetworkPolicy,
} from './network-guard';

export const MAX_REDIRECTS = 10;
const REDIRECTS = new Set([301, 302, 303, 307, 308]);
const CROSS_ORIGIN_DROPPED = ['authorization', 'cookie', 'proxy-authorization'];
const BODY_HEADERS = ['content-type', 'content-length', 'content-encoding', 'content-language'];

export interface OutgoingRequest {
  method: string;
  headers: Record<string, string>;
  body: string | undefined;
  signal: AbortSignal;
}

export interface IncomingResponse {
  status: number;
  statusText: string;
  headers: Record<string, string>;
  body: IncomingMessage;
}

function hostOf(url: URL): string {
  return url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
}

function exchange(
  url: URL,
  request: OutgoingRequest,
  policy: NetworkPolicy,
): Promise<IncomingMessage> {
  const host = hostOf(url);
  if (isIP(host)) {
    const reason = blockedReason(host, policy);
    if (reason) return Promise.reject(new BlockedAddressError(`${host} is ${reason}`));
  }
  const headers: OutgoingHttpHeaders = { ...request.headers };
  if (request.body !== undefined) headers['content-length'] = Buffer.byteLength(request.body);
  const client = url.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const outgoing = client.request(
      {
        protocol: url.protocol,
        hostname: host,
        port: url.port || undefined,
        path: `${url.pathname}${url.search}`,
        method: request.method,
        headers,
        auth: url.username
          ? `${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`
          : undefined,
        signal: request.signal,
        lookup: guardedLookup(policy) as never,
        agent: false,
      },
      resolve,
    );
    outgoing.on('error', reject);
    outgoing.end(request.body);
  });
}

/** Sends the request, following redirects; the caller reads (or destroys) the response body. */
export async function sendHttp(
  target: string,
  first: OutgoingRequest,
  policy: NetworkPolicy,
): Promise<IncomingResponse> {
  let url = new URL(target);
  let request = first;
  for (let hop = 0; ; hop++) {
    const response = await exchange(url, request, policy);
    const status = response.statusCode ?? 0;
    const location = response.headers.location;
    if (!REDIRECTS.has(status) || location === undefined) {
      const headers: Record<string, string> = {};
      for (const [name, value] of Object.entries(response.headers)) {
        if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
      }
      return { status, statusText: response.statusMessage ?? '', headers, body: response };
    }
    response.resume();
    if (hop >= MAX_REDIRECTS) throw new Error(`more than ${MAX_REDIRECTS} redirects`);
    const next = new URL(location, url);
    if (next.protocol !== 'http:' && next.protocol !== 'https:') {
      throw new Error(`redirected to ${next.protocol} URL, which http jobs do not follow`);
    }
    let { method, body, headers } = request;
    if (
      status === 303 ? method !== 'HEAD' : (status === 301 || status === 302) && method === 'POST'
    ) {
      method = 'GET';
      body = undefined;
      headers = Object.fromEntries(
        Object.entries(headers).filter(([name]) => !BODY_HEADERS.includes(name.toLowerCase())),
      );
    }
    if (next.origin !== url.origin) {
      headers = Object.fromEntries(
        Object.entries(headers).filter(
          ([name]) => !CROSS_ORIGIN_DROPPED.includes(name.toLowerCase()),
        ),
      );
    }
    request = { ...request, method, body, headers };
    url = next;
  }
}
