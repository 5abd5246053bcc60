/**
 * The Prometheus endpoint: `GET /metrics` on 127.0.0.1 only, with `Authorization: Bearer
 * <token>` (Prometheus' `authorization.credentials_file`). The token lives in a file in the
 * settings folder readable only by the user, so a Prometheus server can read it too; the URL
 * in use is written beside it (metrics-endpoint.json) for the app, whose port is not printed
 * anywhere. A scrape is bounded by Prometheus' own timeout header when it sends one.
 *
 *   const server = await startMetricsServer({ exporter, token, port: 0 });
 *   // curl -H "Authorization: Bearer $(cat metrics-token)" http://127.0.0.1:PORT/metrics
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { readFileIfExists, writeFileAtomic } from '../settings/atomic-file';
import { GuildhallError } from '../util/errors';
import type { MetricsExporter } from './exporter';

export const METRICS_HOST = '127.0.0.1';
export const METRICS_PATH = '/metrics';
/** Tried first by the app and `guildhall console`/`metrics` when no port is given. */
export const PREFERRED_METRICS_PORT = 9464;
export const METRICS_TOKEN_FILE = 'metrics-token';
export const METRICS_ENDPOINT_FILE = 'metrics-endpoint.json';

/** The bearer token in `<settings folder>/metrics-token`, created on first use. */
export async function ensureMetricsToken(dir: string): Promise<{ token: string; file: string }> {
  const file = path.join(dir, METRICS_TOKEN_FILE);
  const existing = (await readFileIfExists(file))?.trim();
  if (existing) return { token: existing, file };
  const token = randomBytes(24).toString('base64url');
  await writeFileAtomic(file, `${token}\n`, 0o600);
  return { token, file };
}

/** A token given in a file (`--token-file`). */
export async function readMetricsToken(file: string): Promise<string> {
  const token = (await readFileIfExists(file))?.trim();
  if (!token) {
    throw new GuildhallError(
      'invalid-input',
      `The token file ${file} is missing or empty.`,
      'Write a token (any long random text) into it, or leave out --token-file to use the one Guildhall keeps.',
    );
  }
  return token;
}

function sameToken(given: string, expected: string): boolean {
  const digest = (text: string) => createHash('sha256').update(text).digest();
  return timingSafeEqual(digest(given), digest(expected));
}

function bearer(request: IncomingMessage): string | null {
  const header = request.headers.authorization ?? '';
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  return match ? match[1]! : null;
}

/** The time Prometheus allows a scrape, less a margin for the answer to travel. */
function budgetFrom(request: IncomingMessage): number | undefined {
  const seconds = Number(request.headers['x-prometheus-scrape-timeout-seconds']);
  return Number.isFinite(seconds) && seconds > 0 ? Math.max(100, seconds * 1000 - 150) : undefined;
}

export interface MetricsServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

export interface MetricsServerOptions {
  exporter: MetricsExporter;
  token: string;
  /** 0 picks a free port. */
  port: number;
}

export async function startMetricsServer(options: MetricsServerOptions): Promise<MetricsServer> {
  const { exporter, token } = options;
  const send = (response: ServerResponse, status: number, text: string, headers = {}) => {
    response.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', ...headers });
    response.end(text);
  };
  const server = http.createServer((request, response) => {
    const pathname = (request.url ?? '/').split('?')[0];
    if (pathname !== METRICS_PATH) return send(response, 404, 'Not found. Scrape /metrics.\n');
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      return send(response, 405, 'Use GET.\n', { Allow: 'GET, HEAD' });
    }
    const given = bearer(request);
    if (!given || !sameToken(given, token)) {
      return send(
        response,
        401,
        'A bearer token is needed (see metrics-token in the Guildhall settings folder).\n',
        {
          'WWW-Authenticate': 'Bearer realm="guildhall-metrics"',
        },
      );
    }
    exporter.scrape(budgetFrom(request)).then(
      (text) => {
        response.writeHead(200, {
          'Content-Type': exporter.contentType,
          'Cache-Control': 'no-store',
        });
        response.end(request.method === 'HEAD' ? undefined : text);
      },
      () => send(response, 500, 'The metrics could not be collected.\n'),
    );
  });
  server.on('clientError', (_err, socket) => socket.destroy());
  await new Promise<void>((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) =>
      reject(
        err.code === 'EADDRINUSE'
          ? new GuildhallError(
              'port-in-use',
              `Port ${options.port} on ${METRICS_HOST} is in use; the metrics endpoint cannot start there.`,
              'Choose another port with --port (or --metrics-port), or 0 for any free one.',
            )
          : err,
      ),
    );
    server.listen({ port: options.port, host: METRICS_HOST }, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${METRICS_HOST}:${port}${METRICS_PATH}`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** Writes where the endpoint listens, for the app (whose port is printed nowhere). */
export async function publishMetricsEndpoint(
  dir: string,
  url: string,
  tokenFile: string,
): Promise<void> {
  await writeFileAtomic(
    path.join(dir, METRICS_ENDPOINT_FILE),
    `${JSON.stringify({ url, tokenFile, pid: process.pid }, null, 2)}\n`,
    0o600,
  );
}
