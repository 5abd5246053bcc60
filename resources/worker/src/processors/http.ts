/**
 * The `http` queue: one HTTP request with global fetch. Any response is the job's result (body
 * read as text, bounded); non-2xx statuses fail the job only with `failOnHttpError: true`.
 * Network errors and timeouts fail the job with the reason.
 */
import { httpJobSchema, type HttpJob } from '../../../../main/shared/job-data-rules';
import { parseJobData } from '../job-data';
import type { BuiltinProcessor } from './context';

export const HTTP_BODY_MAX_BYTES = 256 * 1024;

export interface HttpResult {
  status: number;
  headers: Record<string, string>;
  body: string;
  bodyTruncated: boolean;
  durationMs: number;
}

export const runHttpJob: BuiltinProcessor = async (job, context) => {
  const data = parseJobData(httpJobSchema, job.data);
  return request(data, context.signal);
};

export async function request(data: HttpJob, cancel?: AbortSignal): Promise<HttpResult> {
  const target = displayUrl(data.url);
  const headers = new Headers(data.headers);
  let body: string | undefined;
  if (typeof data.body === 'string') {
    body = data.body;
  } else if (data.body !== undefined) {
    body = JSON.stringify(data.body);
    if (!headers.has('content-type')) headers.set('content-type', 'application/json');
  }
  const timeout = AbortSignal.timeout(data.timeoutMs);
  const signal = cancel === undefined ? timeout : AbortSignal.any([timeout, cancel]);
  const started = Date.now();

  try {
    const response = await fetch(data.url, { method: data.method, headers, body, signal });
    const { text, truncated } = await readBoundedText(response, HTTP_BODY_MAX_BYTES);
    const result: HttpResult = {
      status: response.status,
      headers: Object.fromEntries(response.headers),
      body: text,
      bodyTruncated: truncated,
      durationMs: Date.now() - started,
    };
    if (data.failOnHttpError && !response.ok) {
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
  response: Response,
  limit: number,
): Promise<{ text: string; truncated: boolean }> {
  if (response.body === null) return { text: '', truncated: false };
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let text = '';
  let received = 0;
  let truncated = false;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    const room = limit - received;
    const piece = value.byteLength > room ? value.subarray(0, room) : value;
    received += piece.byteLength;
    text += decoder.decode(piece, { stream: true });
    if (piece !== value) {
      truncated = true;
      await reader.cancel().catch(() => undefined);
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

/** fetch wraps the real cause (ECONNREFUSED, ENOTFOUND, TLS…) in a generic "fetch failed". */
function networkReason(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const cause = err.cause;
  if (cause instanceof Error) {
    const code = (cause as NodeJS.ErrnoException).code;
    return code !== undefined && !cause.message.includes(code)
      ? `${code} ${cause.message}`
      : cause.message;
  }
  return err.message;
}
