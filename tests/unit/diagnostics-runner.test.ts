import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createCore } from '../../main/core';
import { DiagnosticsContext } from '../../main/diagnostics/context';
import { runChecks } from '../../main/diagnostics/runner';
import {
  failed,
  passed,
  warning,
  type CheckResult,
  type DiagnosticCheck,
} from '../../main/diagnostics/types';

let home: string;
let ctx: DiagnosticsContext;

beforeEach(async () => {
  home = await fs.mkdtemp(path.join(os.tmpdir(), 'ghdiag-runner-'));
  ctx = new DiagnosticsContext(createCore({ home, version: 'test', workerContextDir: home }));
});
afterEach(async () => {
  await ctx.close();
  await fs.rm(home, { recursive: true, force: true });
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function check(
  id: string,
  run: (signal: AbortSignal) => Promise<CheckResult>,
  applicable: DiagnosticCheck['applicable'] = () => true,
): DiagnosticCheck {
  return {
    id,
    category: 'host',
    title: `Check ${id}`,
    documentation: `Looks at ${id}.`,
    applicable,
    check: (_ctx, signal) => run(signal),
  };
}

describe('diagnostics runner', () => {
  it('reports results in registry order with identity, timing and summary', async () => {
    const report = await runChecks(
      [
        check('a', async () => {
          await sleep(30);
          return passed('a is fine');
        }),
        check('b', async () => warning('b is odd', [{ id: 'retry', label: 'Check again' }])),
        check('c', async () => failed('c is broken', [{ id: 'fix-c', label: 'Fix c' }])),
      ],
      ctx,
    );
    expect(report.results.map((r) => [r.id, r.status, r.message])).toEqual([
      ['a', 'passed', 'a is fine'],
      ['b', 'warning', 'b is odd'],
      ['c', 'failed', 'c is broken'],
    ]);
    expect(report.results[0]).toMatchObject({ title: 'Check a', category: 'host', muted: false });
    expect(report.results[0]!.durationMs).toBeGreaterThanOrEqual(25);
    expect(report.results[2]!.fixes).toEqual([{ id: 'fix-c', label: 'Fix c' }]);
    expect(report.summary).toEqual({ passed: 1, warning: 1, failed: 1, skipped: 0, muted: 0 });
    expect(report.failed).toBe(true);
  });

  it('a slow check times out as a warning and never holds up the others', async () => {
    let aborted = false;
    const started = Date.now();
    const report = await runChecks(
      [
        check('slow', async (signal) => {
          signal.addEventListener('abort', () => (aborted = true));
          await sleep(5_000);
          return passed('never');
        }),
        check('quick-1', async () => passed('ok')),
        check('quick-2', async () => {
          await sleep(50);
          return passed('ok');
        }),
      ],
      ctx,
      { timeoutMs: 300, concurrency: 2 },
    );
    const elapsed = Date.now() - started;
    expect(elapsed).toBeLessThan(2_000);
    const slow = report.results.find((r) => r.id === 'slow')!;
    expect(slow.status).toBe('warning');
    expect(slow.message).toMatch(/did not finish within 0\.3 s/);
    expect(slow.fixes.map((f) => f.id)).toEqual(['retry']);
    expect(aborted).toBe(true);
    expect(report.results.filter((r) => r.id.startsWith('quick')).map((r) => r.status)).toEqual([
      'passed',
      'passed',
    ]);
  });

  it('a check that throws becomes a failed result with the error message and hint', async () => {
    const error = Object.assign(new Error('boom\nstack-ish second line'), { hint: 'Do X.' });
    const report = await runChecks(
      [
        check('throws', async () => {
          throw error;
        }),
        check('fine', async () => passed('ok')),
      ],
      ctx,
    );
    expect(report.results[0]).toMatchObject({
      id: 'throws',
      status: 'failed',
      message: 'The check could not run: boom',
      details: ['Do X.'],
    });
    expect(report.results[1]!.status).toBe('passed');
  });

  it('leaves out checks that do not apply, without running them', async () => {
    let ran = false;
    const report = await runChecks(
      [
        check(
          'not-here',
          async () => {
            ran = true;
            return failed('should not run');
          },
          async () => false,
        ),
        check(
          'here',
          async () => passed('ok'),
          () => true,
        ),
      ],
      ctx,
    );
    expect(ran).toBe(false);
    expect(report.results.map((r) => r.id)).toEqual(['here']);
    expect(report.failed).toBe(false);
  });

  it('runs muted checks but does not count their failures', async () => {
    const report = await runChecks(
      [
        check('noisy', async () => failed('known problem')),
        check('odd', async () => warning('known oddity')),
        check('fine', async () => passed('ok')),
      ],
      ctx,
      { muted: ['noisy', 'odd'] },
    );
    expect(report.results.map((r) => [r.id, r.status, r.muted])).toEqual([
      ['noisy', 'failed', true],
      ['odd', 'warning', true],
      ['fine', 'passed', false],
    ]);
    expect(report.summary).toEqual({ passed: 1, warning: 0, failed: 0, skipped: 0, muted: 2 });
    expect(report.failed).toBe(false);
  });

  it('runs only the selected ids', async () => {
    const report = await runChecks(
      [check('a', async () => passed('a')), check('b', async () => passed('b'))],
      ctx,
      { only: ['b'] },
    );
    expect(report.results.map((r) => r.id)).toEqual(['b']);
  });

  it('runs checks in parallel up to the concurrency limit', async () => {
    let running = 0;
    let peak = 0;
    const body = async () => {
      running++;
      peak = Math.max(peak, running);
      await sleep(60);
      running--;
      return passed('ok');
    };
    const checks = Array.from({ length: 6 }, (_, i) => check(`p${i}`, body));
    const started = Date.now();
    await runChecks(checks, ctx, { concurrency: 3 });
    expect(peak).toBe(3);
    expect(Date.now() - started).toBeLessThan(6 * 60);
  });
});
