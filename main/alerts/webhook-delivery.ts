/**
 * Sending one message to one webhook: POST with a time bound, retried with exponential backoff
 * when the receiver fails (network error, 5xx, 408, 429); other 4xx answers are final (the
 * request itself is wrong: retrying would not help). The URL is a secret: no error text that
 * leaves this file holds it, whole or in part.
 */
import { redact } from '../util/redact';

export interface DeliveryPolicy {
  /** Tries in all, the first included. */
  attempts: number;
  /** Wait before the second try; doubled before each next one, up to maxDelayMs. */
  baseDelayMs: number;
  maxDelayMs: number;
  /** Time bound of one try. */
  timeoutMs: number;
}

export const DEFAULT_DELIVERY_POLICY: DeliveryPolicy = {
  attempts: 4,
  baseDelayMs: 2_000,
  maxDelayMs: 30_000,
  timeoutMs: 10_000,
};

/** Milliseconds to wait before each retry (one entry per try after the first). */
export function backoffDelays(policy: DeliveryPolicy): number[] {
  return Array.from({ length: Math.max(0, policy.attempts - 1) }, (_, i) =>
    Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** i),
  );
}

export interface DeliveryOutcome {
  ok: boolean;
  attempts: number;
  /** Why the last try failed; never holds the URL. */
  error: string | null;
}

/** The parts of a URL that may carry its secret: the whole, its path and its query. */
function urlSecrets(url: string): string[] {
  try {
    const parsed = new URL(url);
    return [
      url,
      parsed.href,
      `${parsed.pathname}${parsed.search}`,
      parsed.pathname,
      parsed.search,
    ].filter((part) => part.length > 1);
  } catch {
    return [url];
  }
}

/** An error's text with the URL and its path and query removed. */
export function redactUrl(text: string, url: string): string {
  return redact(
    text,
    urlSecrets(url).sort((a, b) => b.length - a.length),
  );
}

function retriable(status: number): boolean {
  return status >= 500 || status === 408 || status === 429;
}

function errorText(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  if (err.name === 'TimeoutError' || err.name === 'AbortError') return 'no answer in time';
  const cause = (err as Error & { cause?: unknown }).cause;
  const detail = cause instanceof Error ? `: ${cause.message}` : '';
  return `${err.message}${detail}`;
}

const sleepFor = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => {
      clearTimeout(timer);
      resolve();
    });
  });

/** fetch refuses credentials in a URL: they go in an Authorization header instead. */
function requestOf(url: string): { target: string; headers: Record<string, string> } {
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    'user-agent': 'Guildhall-Alerts',
  };
  try {
    const parsed = new URL(url);
    if (!parsed.username && !parsed.password) return { target: url, headers };
    const user = decodeURIComponent(parsed.username);
    const password = decodeURIComponent(parsed.password);
    headers.authorization = `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
    parsed.username = '';
    parsed.password = '';
    return { target: parsed.href, headers };
  } catch {
    return { target: url, headers };
  }
}

export async function postWithRetries(
  url: string,
  body: string,
  policy: DeliveryPolicy = DEFAULT_DELIVERY_POLICY,
  signal?: AbortSignal,
): Promise<DeliveryOutcome> {
  const delays = backoffDelays(policy);
  const { target, headers } = requestOf(url);
  let error = 'not tried';
  for (let attempt = 1; attempt <= policy.attempts; attempt++) {
    let final = false;
    try {
      const bounds = [AbortSignal.timeout(policy.timeoutMs), ...(signal ? [signal] : [])];
      const response = await fetch(target, {
        method: 'POST',
        headers,
        body,
        signal: AbortSignal.any(bounds),
        redirect: 'error',
      });
      await response.arrayBuffer().catch(() => undefined);
      if (response.ok) return { ok: true, attempts: attempt, error: null };
      error = `the receiver answered HTTP ${response.status}`;
      final = !retriable(response.status);
    } catch (err) {
      error = redactUrl(errorText(err), url);
    }
    if (final || attempt === policy.attempts || signal?.aborted) {
      return { ok: false, attempts: attempt, error };
    }
    await sleepFor(delays[attempt - 1] ?? policy.maxDelayMs, signal);
  }
  return { ok: false, attempts: policy.attempts, error };
}
