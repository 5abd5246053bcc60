/**
 * Shapes of the diagnostics: a check (what it looks at, when it applies, how it decides), its
 * result, the fixes it offers, and the report a run produces. Shared by every face.
 */
import type { DiagnosticsContext } from './context';

export type CheckCategory = 'engine' | 'network' | 'images' | 'redis' | 'workers' | 'jobs' | 'host';

export type CheckStatus = 'passed' | 'failed' | 'warning' | 'skipped';

/** A repair the user can run from the check's result (main/diagnostics/fixes/ has one file per fix id). */
export interface FixAction {
  /** Fix id, possibly with a target: `restart-worker:2`. Passed back to runFix. */
  id: string;
  label: string;
  /** Deletes data or settings; the UI must ask for `confirm` to be typed. */
  destructive?: boolean;
  /** The text the user must type to run a destructive fix (e.g. the cluster name). */
  confirm?: string;
  /** The fix needs a file chosen by the user (e.g. an image tarball). */
  input?: 'file';
}

export interface CheckResult {
  status: CheckStatus;
  /** One user-readable sentence. Never contains a secret. */
  message: string;
  /** Supporting lines: log tails, per-item findings, the fix hint. */
  details?: string[];
  fixes: FixAction[];
}

export interface DiagnosticCheck {
  /** Stable id, e.g. `redis.container`; muted ids are stored in settings. */
  id: string;
  category: CheckCategory;
  title: string;
  /** What the check looks at and why it matters, in a sentence or two. */
  documentation: string;
  /** False when the check means nothing here (e.g. no cluster was created yet). */
  applicable(ctx: DiagnosticsContext): boolean | Promise<boolean>;
  check(ctx: DiagnosticsContext, signal: AbortSignal): Promise<CheckResult>;
}

/** A check's result as reported: with the check's identity, timing and mute state. */
export interface CheckOutcome extends CheckResult {
  id: string;
  category: CheckCategory;
  title: string;
  documentation: string;
  /** Muted checks run, but never count as failures or warnings. */
  muted: boolean;
  durationMs: number;
}

export interface DiagnosticsSummary {
  passed: number;
  failed: number;
  warning: number;
  skipped: number;
  /** Muted checks whose result was failed or warning (not counted above). */
  muted: number;
}

export interface DiagnosticsReport {
  /** Epoch ms when the run started. */
  at: number;
  durationMs: number;
  results: CheckOutcome[];
  summary: DiagnosticsSummary;
  /** True when any check that is not muted failed. */
  failed: boolean;
}

export function passed(message: string, details?: string[]): CheckResult {
  return { status: 'passed', message, ...(details?.length ? { details } : {}), fixes: [] };
}

export function skipped(message: string): CheckResult {
  return { status: 'skipped', message, fixes: [] };
}

export function warning(message: string, fixes: FixAction[] = [], details?: string[]): CheckResult {
  return { status: 'warning', message, ...(details?.length ? { details } : {}), fixes };
}

export function failed(message: string, fixes: FixAction[] = [], details?: string[]): CheckResult {
  return { status: 'failed', message, ...(details?.length ? { details } : {}), fixes };
}
