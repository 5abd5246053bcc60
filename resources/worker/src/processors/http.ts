/**
 * The `http` queue: one HTTP request (http-client.ts), whose every hop the network guard checks
 * (no link-local addresses; private ones only when the cluster allows). Any response is the job's
 * result (body read as text, bounded); non-2xx statuses fail the job only with
 * `failOnHttpError: true`. Network errors, refused addresses and timeouts fail the job with the
 * reason.
 */
import type { IncomingMessage } from 'node:http';
import { httpJobSchema, type HttpJob } from '../../../../main/shared/job-data-rules';
import { parseJobData } from '../job-data';
import type { BuiltinProcessor } from './context';
import { sendHttp } from './http-client';
import { networkPolicy, type NetworkPolicy } from './network-guard';

export const HTTP_BODY_MAX_BYTES = 256 * 1024;
export interface HttpResult {
  status: number;
  headers: Record<string, string>;
  body: string;
  bodyTruncated: boolean;
  durationMs: number;
}

/** Read once per worker: the setting comes with the container's env, the subnets with its network. */
let policy: NetworkPolicy | null = null;

export const runHttpJob: BuiltinProcessor = async (job, context) => {
  const data = parseJobData(httpJobSchema, job.data);
  policy ??= networkPolicy();
  return request(data, policy, context.signal);
};

export async function request(
  data: HttpJob,
  network: NetworkPolicy,
  cancel?: AbortSignal,
): Promise<HttpResult> {
  const target = displayUrl(data.url);
  const headers: Record<string, string> = { 'user-agent': 'guildhall-worker', accept: '*/*' };
  for (const [name, value] of Object.entries(data.headers ?? {}))
    headers[name.toLowerCase()] = value;
  let body: string | undefined;
  if (typeof data.body === 'string') {
    body = data.body;
  } else if (data.body !== undefined) {
    body = JSON.stringify(data.body);
    headers['content-type'] ??= 'application/json';
  }
  const timeout = AbortSignal.timeout(data.timeoutMs);
  const signal = cancel === undefined ? timeout : AbortSignal.any([timeout, cancel]);
  const started = Date.now();

  try {
    const response = await sendHttp(
      data.url,
      { method: data.method, headers, body, signal },
      network,
    );
    const { text, truncated } = await readBoundedText(response.body, HTTP_BODY_MAX_BYTES);
    const result: HttpResult = {
      status: response.status,
      headers: response.headers,
      body: text,
      bodyTruncated: truncated,
      durationMs: Date.now() - started,
    };
    if (data.failOnHttpError && (response.status < 200 || response.status > 299)) {
      const statusText = response.statusText === '' ? '' : ` ${response.statusText}`;
      throw new HttpStatusError(
        `${data.method} ${target} returned HTTP ${response.status}${statusText}`,
      );
    }
    return result;
  } catch (err) {
    if (err instanceof HttpStatusError) throw err;
    const what = `${data.method} ${target}`;
    if (timeout.aborted) {
      throw new Error(`${what} timed out after ${data.timeoutMs} ms`, { cause: err });
    }
    if (cancel?.aborted) throw new Error(`${what} was cancelled`, { cause: err });
    throw new Error(`${what} failed: ${networkReason(err)}`, { cause: err });
  }
}

class HttpStatusError extends Error {
  override readonly name = 'HttpStatusError';
}

/** Reads at most `limit` bytes of the body as UTF-8 text and stops the download there. */
async function readBoundedText(
  body: IncomingMessage,
  limit: number,
): Promise<{ text: string; truncated: boolean }> {
  const decoder = new TextDecoder();
  let text = '';
  let received = 0;
  let truncated = false;
  for await (const chunk of body as AsyncIterable<Buffer>) {
    const room = limit - received;
    const piece = chunk.byteLength > room ? chunk.subarray(0, room) : chunk;
    received += piece.byteLength;
    text += decoder.decode(piece, { stream: true });
    if (piece !== chunk) {
      truncated = true;
      body.destroy();
      break;
    }
  }
  text += decoder.decode();
  return { text, truncated };
}

/** The URL without credentials, for messages. */
function displayUrl(text: string): string {
  const url = new URL(text);
  url.username = '';
  url.password = '';
  return url.toString();
}

/** The reason of a network error (ECONNREFUSED, ENOTFOUND, TLS, a refused address…). */
function networkReason(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const inner = err.cause instanceof Error ? err.cause : err;
  const code = (inner as NodeJS.ErrnoException).code;
  return code !== undefined && !inner.message.includes(code)
    ? `${code} ${inner.message}`
    : inner.message;
}
