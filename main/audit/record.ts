/**
 * The one way an action is recorded, whichever face ran it: `recordAction` runs the action and
 * appends one entry with its outcome (time, face, OS user, action, target, redacted arguments,
 * error). The API's audit middleware (main/api/audit-middleware.ts), the CLI (main/cli/
 * audited-commands.ts) and the tray (main/electron/shell-app.ts) all call it.
 *
 * A failure to write the log never fails the action: it is reported to `onRecordError`
 * (default: stderr), because refusing to stop a cluster for want of a log line would be worse.
 */
import os from 'node:os';
import type { SecretStore } from '../settings/secret-store';
import { isGuildhallError } from '../util/errors';
import { auditArgs, auditErrorText } from './audit-args';
import type { AuditAction, AuditEntry } from './audit-entry';
import { AuditLog } from './audit-log';

export interface AuditSink {
  log: AuditLog;
  /** Where the stored secrets are read from, to keep them out of the log. */
  secrets?: SecretStore;
  /** Secrets known to the caller besides the stored ones (e.g. a password read elsewhere). */
  extraSecrets?: () => Promise<readonly string[]>;
  onRecordError?: (err: unknown) => void;
}

/** What the core offers the audit: its settings folder and secret store. */
export interface AuditCore {
  settings: { paths: { root: string } };
  secrets: SecretStore;
}

const sinks = new WeakMap<object, AuditSink>();

/** The audit sink for a core (one per core; the log itself is shared through the lock file). */
export function auditSinkFor(core: AuditCore): AuditSink {
  let sink = sinks.get(core);
  if (!sink) {
    sink = { log: new AuditLog({ dir: core.settings.paths.root }), secrets: core.secrets };
    sinks.set(core, sink);
  }
  return sink;
}

export function osUser(): string {
  try {
    return os.userInfo().username;
  } catch {
    return process.env.USER ?? process.env.USERNAME ?? 'unknown';
  }
}

async function secretsOf(sink: AuditSink): Promise<string[]> {
  const stored = (await sink.secrets?.values?.().catch(() => [])) ?? [];
  const extra = (await sink.extraSecrets?.().catch(() => [])) ?? [];
  return [...stored, ...extra].filter((secret) => secret.length >= 4);
}

export interface ActionResult {
  outcome: 'ok' | 'error';
  error?: { code: string; message: string };
}

function errorOf(err: unknown): { code: string; message: string } {
  if (isGuildhallError(err)) return { code: err.code, message: err.message };
  const code = (err as { code?: unknown })?.code;
  return {
    code: typeof code === 'string' ? code : 'unexpected',
    message: err instanceof Error ? err.message : String(err),
  };
}

/** Appends an entry for an action that already ran (used where the outcome is not a throw). */
export async function appendAction(
  sink: AuditSink,
  action: AuditAction,
  result: ActionResult,
  startedAt: number,
): Promise<AuditEntry | null> {
  try {
    const secrets = await secretsOf(sink);
    return await sink.log.append({
      time: new Date(startedAt).toISOString(),
      face: action.face,
      user: osUser(),
      action: action.action,
      target: action.target === null ? null : auditErrorText(action.target, secrets),
      args: auditArgs(action.args, secrets),
      outcome: result.outcome,
      error: result.error
        ? { code: result.error.code, message: auditErrorText(result.error.message, secrets) }
        : null,
      durationMs: Date.now() - startedAt,
    });
  } catch (err) {
    (sink.onRecordError ?? defaultRecordError)(err);
    return null;
  }
}

/** Runs `run` and records it; the action's own result or error passes through unchanged. */
export async function recordAction<T>(
  sink: AuditSink,
  action: AuditAction,
  run: () => Promise<T>,
): Promise<T> {
  const startedAt = Date.now();
  let result: T;
  try {
    result = await run();
  } catch (err) {
    await appendAction(sink, action, { outcome: 'error', error: errorOf(err) }, startedAt);
    throw err;
  }
  await appendAction(sink, action, { outcome: 'ok' }, startedAt);
  return result;
}

export { errorOf as auditErrorOf };

function defaultRecordError(err: unknown): void {
  process.stderr.write(
    `guildhall: the audit log could not be written: ${(err as Error)?.message ?? String(err)}\n`,
  );
}
