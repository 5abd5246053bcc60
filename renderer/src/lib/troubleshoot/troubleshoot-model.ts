/**
 * Diagnostics results as the troubleshooting page shows them: grouped by category in a fixed
 * order, the worst status per group, counts that ignore muted checks (as the core counts them),
 * and a fix's name and target split from its id (`restart-worker:2`). Pure.
 */
import type { ApiOutputs } from '../api/client';

export type DiagnosticsRun = ApiOutputs['diagnostics']['run'];
export type CheckOutcome = DiagnosticsRun['results'][number];
export type FixAction = CheckOutcome['fixes'][number];
export type CheckCategory = CheckOutcome['category'];
export type CheckStatus = CheckOutcome['status'];
export type Summary = DiagnosticsRun['summary'];

export const CATEGORY_ORDER: readonly CheckCategory[] = [
  'engine',
  'network',
  'images',
  'redis',
  'workers',
  'jobs',
  'host',
];

const SEVERITY: Record<CheckStatus, number> = { failed: 3, warning: 2, passed: 1, skipped: 0 };

export interface CheckGroup {
  category: CheckCategory;
  results: CheckOutcome[];
  /** The worst status among results that are not muted (muted count as passed). */
  worst: CheckStatus;
}

/** The status that counts: muted failures and warnings count as passed. */
export function effectiveStatus(result: Pick<CheckOutcome, 'status' | 'muted'>): CheckStatus {
  return result.muted && (result.status === 'failed' || result.status === 'warning')
    ? 'passed'
    : result.status;
}

export function groupByCategory(results: readonly CheckOutcome[]): CheckGroup[] {
  return CATEGORY_ORDER.map((category) => {
    const inGroup = results.filter((r) => r.category === category);
    const worst = inGroup.reduce<CheckStatus>(
      (acc, r) => (SEVERITY[effectiveStatus(r)] > SEVERITY[acc] ? effectiveStatus(r) : acc),
      'skipped',
    );
    return { category, results: inGroup, worst };
  }).filter((group) => group.results.length > 0);
}

/** Counts as the core does: muted failures and warnings are counted only as muted. */
export function summarize(results: readonly CheckOutcome[]): Summary {
  const summary: Summary = { passed: 0, failed: 0, warning: 0, skipped: 0, muted: 0 };
  for (const r of results) {
    if (r.muted && (r.status === 'failed' || r.status === 'warning')) summary.muted++;
    else summary[r.status]++;
  }
  return summary;
}

/** A report with one result replaced (a recheck after a fix) and its counts updated. */
export function withResult(run: DiagnosticsRun, result: CheckOutcome): DiagnosticsRun {
  const results = run.results.map((r) => (r.id === result.id ? result : r));
  const summary = summarize(results);
  return { ...run, results, summary, failed: summary.failed > 0 };
}

/** A report with a check's mute flag changed. */
export function withMuted(run: DiagnosticsRun, id: string, muted: boolean): DiagnosticsRun {
  const results = run.results.map((r) => (r.id === id ? { ...r, muted } : r));
  const summary = summarize(results);
  return { ...run, results, summary, failed: summary.failed > 0 };
}

export function statusTone(status: CheckStatus): 'ok' | 'warn' | 'danger' | 'neutral' {
  switch (status) {
    case 'passed':
      return 'ok';
    case 'warning':
      return 'warn';
    case 'failed':
      return 'danger';
    default:
      return 'neutral';
  }
}

/** `restart-worker:2` → { name: 'restart-worker', target: '2' }. */
export function splitFixId(id: string): { name: string; target: string | null } {
  const at = id.indexOf(':');
  return at === -1
    ? { name: id, target: null }
    : { name: id.slice(0, at), target: id.slice(at + 1) };
}

/** Whether running the fix first needs a dialog (typed confirmation or a file). */
export function needsDialog(fix: FixAction): boolean {
  return Boolean(fix.destructive || fix.input === 'file');
}

/** Fixes that only say "check again" are shown as the row's Recheck, not as a repair. */
export function repairFixes(result: CheckOutcome): FixAction[] {
  return result.fixes.filter((f) => f.id !== 'retry');
}
