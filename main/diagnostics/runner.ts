/**
 * Runs checks: the applicable ones only, a few at a time, each under its own time limit so one
 * slow check never holds up the rest. A check that throws or times out becomes a result (never
 * a rejected run). Muted checks still run; their failures and warnings are not counted.
 */
import type { DiagnosticsContext } from './context';
import type {
  CheckOutcome,
  CheckResult,
  DiagnosticCheck,
  DiagnosticsReport,
  DiagnosticsSummary,
} from './types';

export const DEFAULT_CHECK_TIMEOUT_MS = 10_000;
/** Checks at once; they mostly wait on the engine and Redis, and the shared facts are memoized. */
export const DEFAULT_CHECK_CONCURRENCY = 4;

export interface RunChecksOptions {
  timeoutMs?: number;
  concurrency?: number;
  /** Ids of muted checks. */
  muted?: Iterable<string>;
  /** Run only these check ids (still subject to `applicable`). */
  only?: Iterable<string>;
  /** Called as each check finishes (for a live UI). */
  onResult?: (outcome: CheckOutcome) => void;
}

class CheckTimeout extends Error {}

async function withTimeout<T>(
  timeoutMs: number,
  work: (signal: AbortSignal) => Promise<T>,
): Promise<T> {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      controller.abort();
      reject(new CheckTimeout());
    }, timeoutMs);
  });
  try {
    return await Promise.race([work(controller.signal), deadline]);
  } finally {
    clearTimeout(timer);
  }
}

function firstLine(text: string): string {
  return text.split('\n')[0] ?? text;
}

/** Runs applicable() then check() under one time limit; null when the check does not apply. */
async function runOne(
  check: DiagnosticCheck,
  ctx: DiagnosticsContext,
  timeoutMs: number,
): Promise<CheckResult | null> {
  try {
    return await withTimeout(timeoutMs, async (signal) =>
      (await isApplicable(check, ctx)) ? check.check(ctx, signal) : null,
    );
  } catch (err) {
    if (err instanceof CheckTimeout) {
      return {
        status: 'warning',
        message: `The check did not finish within ${Math.round(timeoutMs / 100) / 10} s; the engine or Redis may be overloaded or stuck.`,
        fixes: [{ id: 'retry', label: 'Check again' }],
      };
    }
    const hint = (err as { hint?: string }).hint;
    return {
      status: 'failed',
      message: `The check could not run: ${firstLine((err as Error)?.message ?? String(err))}`,
      ...(hint ? { details: [hint] } : {}),
      fixes: [{ id: 'retry', label: 'Check again' }],
    };
  }
}

async function isApplicable(check: DiagnosticCheck, ctx: DiagnosticsContext): Promise<boolean> {
  try {
    return await check.applicable(ctx);
  } catch {
    return true; // let the check itself say what is wrong
  }
}

export function summarize(results: readonly CheckOutcome[]): DiagnosticsSummary {
  const summary: DiagnosticsSummary = { passed: 0, failed: 0, warning: 0, skipped: 0, muted: 0 };
  for (const r of results) {
    if (r.muted && (r.status === 'failed' || r.status === 'warning')) summary.muted++;
    else summary[r.status]++;
  }
  return summary;
}

/** Runs the checks; results come back in the order of `checks`. */
export async function runChecks(
  checks: readonly DiagnosticCheck[],
  ctx: DiagnosticsContext,
  options: RunChecksOptions = {},
): Promise<DiagnosticsReport> {
  const at = Date.now();
  const timeoutMs = options.timeoutMs ?? DEFAULT_CHECK_TIMEOUT_MS;
  const muted = new Set(options.muted ?? []);
  const only = options.only ? new Set(options.only) : null;
  const selected = checks.filter((c) => !only || only.has(c.id));
  const slots: (CheckOutcome | null)[] = new Array(selected.length).fill(null);
  let next = 0;
  const worker = async () => {
    while (next < selected.length) {
      const index = next++;
      const check = selected[index]!;
      const started = Date.now();
      const result = await runOne(check, ctx, timeoutMs);
      if (result === null) continue;
      const outcome: CheckOutcome = {
        id: check.id,
        category: check.category,
        title: check.title,
        documentation: check.documentation,
        ...result,
        muted: muted.has(check.id),
        durationMs: Date.now() - started,
      };
      slots[index] = outcome;
      options.onResult?.(outcome);
    }
  };
  const lanes = Math.max(
    1,
    Math.min(options.concurrency ?? DEFAULT_CHECK_CONCURRENCY, selected.length),
  );
  await Promise.all(Array.from({ length: lanes }, worker));
  const results = slots.filter((r): r is CheckOutcome => r !== null);
  const summary = summarize(results);
  return {
    at,
    durationMs: Date.now() - at,
    results,
    summary,
    failed: summary.failed > 0,
  };
}
