/**
 * Files the browser console downloads: a support bundle made earlier (by name, from the app's
 * support folder only) and the app's own log. GET only, behind the same token check as the API;
 * the page sends the token in the X-Guildhall-Token header, so it never lands in a URL.
 * Log text is scrubbed of the current secrets once more on the way out.
 */
import fs from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';
import { coreLog, type Core } from '../core';
import { scrub } from '../util/secret-text';
import { DOWNLOADS } from '@shared/schemas/diagnostics';
import { findBundle } from '../support/bundle-store';

export function isDownloadPath(rawPath: string): boolean {
  return rawPath.startsWith(DOWNLOADS.prefix);
}

export type DownloadAnswer =
  | { kind: 'file'; file: string; name: string; type: string }
  | { kind: 'text'; text: string; name: string; type: string }
  | { kind: 'not-found' };

/** Largest app log sent at once (the current file is capped at 5 MiB by rotation). */
const MAX_LOG_BYTES = 8 * 1024 * 1024;

export async function resolveDownload(
  core: Core,
  rawPath: string,
  secrets: readonly string[],
): Promise<DownloadAnswer> {
  if (rawPath.startsWith(DOWNLOADS.supportBundle)) {
    let name: string;
    try {
      name = decodeURIComponent(rawPath.slice(DOWNLOADS.supportBundle.length));
    } catch {
      return { kind: 'not-found' };
    }
    const file = await findBundle(core, name);
    return file ? { kind: 'file', file, name, type: 'application/zip' } : { kind: 'not-found' };
  }
  if (rawPath === DOWNLOADS.appLog) {
    const log = await coreLog(core);
    const text = await readTail(log.file, MAX_LOG_BYTES);
    return {
      kind: 'text',
      text: scrub(text, secrets),
      name: path.basename(log.file),
      type: 'text/plain; charset=utf-8',
    };
  }
  return { kind: 'not-found' };
}

/** The last `maxBytes` of a file as text; '' when it does not exist (yet). */
async function readTail(file: string, maxBytes: number): Promise<string> {
  let handle: fs.promises.FileHandle;
  try {
    handle = await fs.promises.open(file, 'r');
  } catch {
    return '';
  }
  try {
    const { size } = await handle.stat();
    const start = Math.max(0, size - maxBytes);
    const buffer = Buffer.alloc(size - start);
    await handle.read(buffer, 0, buffer.length, start);
    return buffer.toString('utf8');
  } finally {
    await handle.close();
  }
}

/** Sends a resolved download with attachment headers; `setHeaders` adds the security headers. */
export function sendDownload(
  answer: Exclude<DownloadAnswer, { kind: 'not-found' }>,
  request: IncomingMessage,
  response: ServerResponse,
  setHeaders: (response: ServerResponse, extra: Record<string, string>) => void,
): void {
  const disposition = `attachment; filename="${answer.name.replace(/[^A-Za-z0-9._-]/g, '_')}"`;
  const common = {
    'Content-Type': answer.type,
    'Content-Disposition': disposition,
    'Cache-Control': 'no-store',
  };
  if (answer.kind === 'text') {
    const body = Buffer.from(answer.text, 'utf8');
    setHeaders(response, { ...common, 'Content-Length': String(body.length) });
    response.writeHead(200);
    response.end(request.method === 'HEAD' ? undefined : body);
    return;
  }
  const size = fs.statSync(answer.file).size;
  setHeaders(response, { ...common, 'Content-Length': String(size) });
  response.writeHead(200);
  if (request.method === 'HEAD') return void response.end();
  fs.createReadStream(answer.file)
    .on('error', () => response.destroy())
    .pipe(response);
}
