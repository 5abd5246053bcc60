/**
 * redact() runs on the main thread over log lines and support-bundle entries, so it must stay
 * linear whatever a line holds; and it must still remove secrets and URL passwords.
 */
import { performance } from 'node:perf_hooks';
import { describe, expect, it } from 'vitest';
import { REDACTED, redact } from '../../main/util/redact';

/** Best time of one plain regex scan of `line`, in ms (the minimum is the least disturbed). */
function plainScanMs(line: string): number {
  let best = Infinity;
  for (let run = 0; run < 7; run++) {
    const start = performance.now();
    for (let i = 0; i < 10; i++) /\s@\s/.test(line);
    best = Math.min(best, (performance.now() - start) / 10);
  }
  return best;
}

/**
 * redact's best time over `line` against a plain scan of it. Up to five tries, stopping at the
 * first within `factor` times the scan, or after a try that took over a second (quadratic).
 */
function redactVersusScan(line: string, factor = 50): { redactMs: number; boundMs: number } {
  const boundMs = factor * Math.max(plainScanMs(line), 0.01);
  let redactMs = Infinity;
  for (let run = 0; run < 5 && redactMs > boundMs; run++) {
    const start = performance.now();
    redact(line, ['s3cret-password', 'another-secret']);
    const took = performance.now() - start;
    redactMs = Math.min(redactMs, took);
    if (took > 1000) break;
  }
  return { redactMs, boundMs };
}

describe('redact', () => {
  it('removes secrets and passwords in URLs, and keeps the rest', () => {
    expect(redact('pw is hunter22 here', ['hunter22'])).toBe(`pw is ${REDACTED} here`);
    expect(redact('connect redis://:s3cr3t@127.0.0.1:6379/0 now', [])).toBe(
      `connect redis://:${REDACTED}@127.0.0.1:6379/0 now`,
    );
    expect(redact('tcp://user:pa:ss@host:2375 and HTTPS://a:b@c', [])).toBe(
      `tcp://user:${REDACTED}@host:2375 and HTTPS://a:${REDACTED}@c`,
    );
    // Not a URL (no scheme, scheme glued to a word, no password, a path before the @).
    for (const text of [
      '://user:pw@host',
      'x_redis://user:pw@host',
      'redis://user@host',
      'http://host/a:b@c',
      'mail me: a@b.c',
    ]) {
      expect(redact(text, [])).toBe(text);
    }
    expect(redact('x.redis://u:p@h', [])).toBe(`x.redis://u:${REDACTED}@h`);
  });

  it('stays linear on a 160k-character worst case (a.a.a…)', { timeout: 60_000 }, () => {
    const line = 'a.'.repeat(80_000);
    const { redactMs, boundMs } = redactVersusScan(line);
    expect(redactMs, `redact took ${redactMs} ms, bound ${boundMs} ms`).toBeLessThan(boundMs);
  });

  it('stays linear on a 16k-character log line with URLs in it', { timeout: 60_000 }, () => {
    const line =
      `2026-01-01T00:00:00Z info http job GET https://user:pw@example.com/items?q=` +
      'a-b.c+d'.repeat(2_300) +
      ' then tcp://host:2375/x';
    expect(line.length).toBeGreaterThan(16_000);
    expect(redact(line, [])).toContain(`https://user:${REDACTED}@example.com/`);
    const { redactMs, boundMs } = redactVersusScan(line);
    expect(redactMs, `redact took ${redactMs} ms, bound ${boundMs} ms`).toBeLessThan(boundMs);
  });
});
