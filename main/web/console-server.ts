/**
 * The browser console: serves the built renderer and the typed API (HTTP under /api, WebSocket
 * at /ws) on 127.0.0.1 only. Every API request and the WebSocket upgrade need the console's
 * token; the page itself is served only with it (the page then keeps it in sessionStorage).
 * Foreign Origins and Hosts are refused; every response carries the security headers. The token
 * can be rotated (app.rotateConsoleToken, or Enter in `guildhall console`): the old one stops
 * working at once and open WebSockets are closed, so their pages reconnect with the new one.
 *
 *   const server = await startConsoleServer({ services, rendererDir, port: 0 });
 *   console.log(server.url); // http://127.0.0.1:PORT/?token=…
 */
import fs from 'node:fs';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import type { ApiServices } from '../api/context';
import { createApiHandlers, MAX_REQUEST_BYTES } from '../api/handlers';
import { WEB_CONSOLE } from '@shared/schemas/transport';
import { GuildhallError } from '../util/errors';
import {
  checkAccess,
  consoleOrigins,
  generateToken,
  SECURITY_HEADERS,
  verdictStatus,
  type Origins,
} from './access';
import { isDownloadPath, resolveDownload, sendDownload } from './downloads';
import { RESUME_SCRIPT, RESUME_SCRIPT_PATH, tokenRequiredPage } from './resume-page';
import { lookupStatic } from './static-files';

export const CONSOLE_HOST = '127.0.0.1';
const API_PREFIX = WEB_CONSOLE.apiPrefix;
const WEBSOCKET_PATH = WEB_CONSOLE.websocketPath;

export interface ConsoleServerOptions {
  services: ApiServices;
  /** The built renderer (out/renderer). */
  rendererDir: string;
  /** 0 picks a free port. */
  port?: number;
  /** Given for tests; a fresh random token otherwise. */
  token?: string;
}

export interface ConsoleServer {
  /** The URL to open, token included. */
  url: string;
  origin: string;
  port: number;
  /** The current token (changes on rotation). */
  readonly token: string;
  address: AddressInfo;
  /** A new token: the old one is refused from now on and open WebSockets are closed. */
  rotateToken(): { url: string; token: string };
  close(): Promise<void>;
}

/** Grace before open sockets are closed on rotation, so the rotating call's answer goes out. */
const ROTATION_CLOSE_DELAY_MS = 200;
/** WebSocket close code telling a page its token was rotated. */
export const TOKEN_ROTATED_CLOSE_CODE = 4001;

export async function startConsoleServer(options: ConsoleServerOptions): Promise<ConsoleServer> {
  let token = options.token ?? generateToken();
  const handlers = createApiHandlers();
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_REQUEST_BYTES });
  let allowed: Origins = consoleOrigins(0);

  const server = http.createServer((request, response) => {
    request.on('error', () => response.destroy());
    handleRequest(request, response).catch(() => {
      if (!response.headersSent) sendText(response, 500, 'Internal error.');
      else response.destroy();
    });
  });
  server.on('clientError', (_err, socket) => socket.destroy());
  server.on('upgrade', (request, socket, head) => handleUpgrade(request, socket, head));

  async function handleRequest(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const rawPath = (request.url ?? '/').split('?')[0] ?? '/';
    const url = new URL(request.url ?? '/', `http://${CONSOLE_HOST}`);
    const isApi = rawPath === API_PREFIX || rawPath.startsWith(`${API_PREFIX}/`);
    const isPage = rawPath === '/' || rawPath === '/index.html';
    const isDownload = isDownloadPath(rawPath);
    const verdict = checkAccess(request, url, allowed, token, isApi || isPage || isDownload);
    if (verdict !== 'ok') {
      const { status, text } = verdictStatus(verdict);
      if (isPage && status === 401) return sendHtml(response, 401, tokenRequiredPage(text));
      return sendText(response, status, text);
    }
    if (isApi) {
      if (request.method !== 'POST') return sendText(response, 405, 'Use POST.', { Allow: 'POST' });
      setHeaders(response, { 'Cache-Control': 'no-store' });
      await handlers.http.handle(request, response, {
        prefix: API_PREFIX,
        context: { services: options.services, transport: 'http' },
      });
      return;
    }
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      return sendText(response, 405, 'Method not allowed.', { Allow: 'GET, HEAD' });
    }
    if (isDownload) {
      const secrets = await options.services.secretList();
      const answer = await resolveDownload(options.services.core, rawPath, secrets);
      if (answer.kind === 'not-found') return sendText(response, 404, 'Not found.');
      return sendDownload(answer, request, response, setHeaders);
    }
    if (rawPath === RESUME_SCRIPT_PATH) {
      return send(response, 200, 'text/javascript; charset=utf-8', RESUME_SCRIPT, request.method);
    }
    await serveStatic(request, response, rawPath);
  }

  async function serveStatic(request: IncomingMessage, response: ServerResponse, rawPath: string) {
    const found = await lookupStatic(options.rendererDir, rawPath);
    if (found.kind === 'refused') return sendText(response, 400, 'Bad path.');
    if (found.kind === 'not-found') return sendText(response, 404, 'Not found.');
    setHeaders(response, {
      'Content-Type': found.type,
      'Content-Length': String(found.size),
      'Cache-Control': found.type.startsWith('text/html') ? 'no-store' : 'no-cache',
    });
    response.writeHead(200);
    if (request.method === 'HEAD') return void response.end();
    fs.createReadStream(found.file)
      .on('error', () => response.destroy())
      .pipe(response);
  }

  function handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void {
    socket.on('error', () => socket.destroy());
    const url = new URL(request.url ?? '/', `http://${CONSOLE_HOST}`);
    if (url.pathname !== WEBSOCKET_PATH) return refuseUpgrade(socket, 404, 'Not found.');
    const verdict = checkAccess(request, url, allowed, token, true);
    if (verdict !== 'ok') {
      const { status, text } = verdictStatus(verdict);
      return refuseUpgrade(socket, status, text);
    }
    wss.handleUpgrade(request, socket, head, (ws) => {
      ws.on('error', () => ws.terminate());
      void handlers.ws.upgrade(ws, {
        context: { services: options.services, transport: 'websocket' },
      });
    });
  }

  const port = await listen(server, options.port ?? 0);
  allowed = consoleOrigins(port);
  const address = server.address() as AddressInfo;
  const origin = `http://${CONSOLE_HOST}:${port}`;
  const urlWith = (value: string) =>
    `${origin}/?${WEB_CONSOLE.tokenParam}=${encodeURIComponent(value)}`;

  function rotateToken(): { url: string; token: string } {
    token = generateToken();
    const open = [...wss.clients];
    setTimeout(() => {
      for (const client of open) client.close(TOKEN_ROTATED_CLOSE_CODE, 'token rotated');
    }, ROTATION_CLOSE_DELAY_MS).unref();
    return { url: urlWith(token), token };
  }
  options.services.rotateConsoleToken = () => rotateToken().url;

  return {
    get url() {
      return urlWith(token);
    },
    origin,
    port,
    get token() {
      return token;
    },
    address,
    rotateToken,
    close: () => closeServer(server, wss),
  };
}

function listen(server: http.Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (err: NodeJS.ErrnoException) => {
      reject(
        err.code === 'EADDRINUSE'
          ? new GuildhallError(
              'port-in-use',
              `Port ${port} on ${CONSOLE_HOST} is already in use.`,
              'Choose another with `guildhall console --port P`, or leave --port out to pick a free one.',
            )
          : err,
      );
    };
    server.once('error', onError);
    server.listen({ port, host: CONSOLE_HOST }, () => {
      server.off('error', onError);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

async function closeServer(server: http.Server, wss: WebSocketServer): Promise<void> {
  for (const client of wss.clients) client.terminate();
  await new Promise<void>((resolve) => wss.close(() => resolve()));
  await new Promise<void>((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}

function setHeaders(response: ServerResponse, extra: http.OutgoingHttpHeaders = {}): void {
  for (const [name, value] of Object.entries({ ...SECURITY_HEADERS, ...extra })) {
    if (value !== undefined) response.setHeader(name, value);
  }
}

function send(
  response: ServerResponse,
  status: number,
  type: string,
  body: string,
  method?: string,
  extra: http.OutgoingHttpHeaders = {},
): void {
  setHeaders(response, {
    'Content-Type': type,
    'Content-Length': String(Buffer.byteLength(body)),
    'Cache-Control': 'no-store',
    ...extra,
  });
  response.writeHead(status);
  response.end(method === 'HEAD' ? undefined : body);
}

function sendText(
  response: ServerResponse,
  status: number,
  text: string,
  extra: http.OutgoingHttpHeaders = {},
): void {
  send(response, status, 'text/plain; charset=utf-8', `${text}\n`, undefined, extra);
}

function sendHtml(response: ServerResponse, status: number, html: string): void {
  send(response, status, 'text/html; charset=utf-8', html);
}

function refuseUpgrade(socket: Duplex, status: number, text: string): void {
  const reason = http.STATUS_CODES[status] ?? 'Refused';
  socket.end(
    `HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(text)}\r\n\r\n${text}`,
  );
}
