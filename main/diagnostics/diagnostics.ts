/**
 * What faces call: run every check (muted ids from settings), run a fix and check again, mute a
 * check.
 *
 *   const report = await runDiagnostics(core);
 *   const { outcome, recheck } = await applyFix(core, 'recreate-redis', { checkId: 'redis.container' });
 */
import { coreLog, type Core } from '../core';
import { GuildhallError } from '../util/errors';
import { ALL_CHECKS, findCheck } from './checks/index';
import { DiagnosticsContext, type DiagnosticsContextOptions } from './context';
import { runFix, type FixOptions, type FixOutcome } from './fixes';
import { runChecks, type RunChecksOptions } from './runner';
import type { CheckOutcome, DiagnosticCheck, DiagnosticsReport } from './types';

export interface DiagnosticsOptions
  extends DiagnosticsContextOptions, Omit<RunChecksOptions, 'muted'> {
  /** The checks to run (default: every registered check). */
  checks?: readonly DiagnosticCheck[];
}

export async function mutedChecks(core: Core): Promise<string[]> {
  return (await core.settings.load()).settings.app.mutedChecks;
}

export async function runDiagnostics(
  core: Core,
  options: DiagnosticsOptions = {},
): Promise<DiagnosticsReport> {
  const ctx = new DiagnosticsContext(core, options);
  const log = await coreLog(core, 'diagnostics');
  try {
    const report = await runChecks(options.checks ?? ALL_CHECKS, ctx, {
      ...options,
      muted: await mutedChecks(core),
    });
    const problems = report.results
      .filter((r) => !r.muted && (r.status === 'failed' || r.status === 'warning'))
      .map((r) => ({ id: r.id, status: r.status, message: r.message }));
    log.info('checks finished', {
      summary: report.summary,
      durationMs: report.durationMs,
      problems,
    });
    return report;
  } finally {
    await ctx.close();
  }
}

/** Runs one check by id; null when it does not apply here. */
export async function runCheck(
  core: Core,
  id: string,
  options: DiagnosticsContextOptions & { timeoutMs?: number } = {},
): Promise<CheckOutcome | null> {
  const check = findCheck(id);
  if (!check) throw new GuildhallError('not-found', `There is no check "${id}".`);
  const report = await runDiagnostics(core, { ...options, checks: [check] });
  return report.results[0] ?? null;
}

export interface ApplyFixOptions extends FixOptions, DiagnosticsContextOptions {
  /** The check that offered the fix; it is run again afterwards. */
  checkId?: string;
}

/** Runs a fix, then (if `checkId` is given) the check again. Every run is logged. */
export async function applyFix(
  core: Core,
  fixId: string,
  options: ApplyFixOptions = {},
): Promise<{ outcome: FixOutcome; recheck: CheckOutcome | null }> {
  const log = await coreLog(core, 'fix');
  log.info('fix started', { fixId, checkId: options.checkId ?? null });
  let outcome: FixOutcome;
  try {
    outcome = await runFix(core, fixId, options);
  } catch (err) {
    log.error('fix failed', { fixId, error: err as Error });
    throw err;
  }
  log.info('fix finished', { fixId, message: outcome.message });
  const recheck = options.checkId ? await runCheck(core, options.checkId, options) : null;
  return { outcome, recheck };
}

/** Mutes or unmutes a check; returns the muted ids now stored in settings. */
export async function setCheckMuted(core: Core, id: string, muted: boolean): Promise<string[]> {
  if (!findCheck(id)) throw new GuildhallError('not-found', `There is no check "${id}".`);
  const next = await core.settings.update((s) => {
    const set = new Set(s.app.mutedChecks);
    if (muted) set.add(id);
    else set.delete(id);
    return { ...s, app: { ...s.app, mutedChecks: [...set].sort() } };
  });
  return next.app.mutedChecks;
}

export { ALL_CHECKS, findCheck };
