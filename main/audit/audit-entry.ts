/**
 * One line of the audit log and its place in the hash chain. A line is the entry's JSON with
 * its own hash first: `{"hash":"<sha256 of the rest>","time":…,"prev":"<hash of the line
 * before>"}`. The hash covers the exact text of the rest of the line (so verifying needs no
 * canonical re-serialisation), and `prev` links each entry to the one before it, across
 * rotated files too: editing, removing or inserting a line breaks the chain where it happened.
 */
import { createHash } from 'node:crypto';

/** Who acted: the face an action came through. */
export const AUDIT_FACES = ['app', 'tray', 'cli', 'console', 'api', 'supervisor'] as const;
export type AuditFace = (typeof AUDIT_FACES)[number];

export type AuditOutcome = 'ok' | 'error';

/** What a face asks to record, before the outcome is known. */
export interface AuditAction {
  face: AuditFace;
  /** Dotted like the API procedure: `cluster.up`, `queues.clean`, `diagnostics.fix`. */
  action: string;
  /** What it acted on: `cluster:guildhall`, `queue:shell`, `job:shell/42`, `fix:start-cluster`. */
  target: string | null;
  /** The arguments, secrets already redacted (see audit-args.ts). */
  args: unknown;
}

export interface AuditEntryBody extends AuditAction {
  time: string;
  /** The OS user that ran the process which recorded the action. */
  user: string;
  outcome: AuditOutcome;
  error: { code: string; message: string } | null;
  durationMs: number;
}

export interface AuditEntry extends AuditEntryBody {
  prev: string;
  hash: string;
}

/** `prev` of the very first entry. */
export const GENESIS_HASH = '0'.repeat(64);

const LINE_HEAD = /^\{"hash":"([0-9a-f]{64})",/;

function sha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** The line (without newline) for an entry that follows `prev`. */
export function formatEntryLine(
  body: AuditEntryBody,
  prev: string,
): { line: string; entry: AuditEntry } {
  const rest = JSON.stringify({ ...body, prev });
  const hash = sha256(rest);
  return { line: `{"hash":"${hash}",${rest.slice(1)}`, entry: { ...body, prev, hash } };
}

export type ParsedLine =
  | { ok: true; entry: AuditEntry }
  | { ok: false; reason: 'unreadable' | 'hash-mismatch'; hash: string | null; prev: string | null };

/** Reads a line and checks that its content matches its own hash. */
export function parseEntryLine(line: string): ParsedLine {
  const head = LINE_HEAD.exec(line);
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return { ok: false, reason: 'unreadable', hash: head?.[1] ?? null, prev: null };
  }
  const record = value as Partial<AuditEntry> | null;
  const prev = typeof record?.prev === 'string' ? record.prev : null;
  if (!head || !record || typeof record !== 'object' || prev === null) {
    return { ok: false, reason: 'unreadable', hash: head?.[1] ?? null, prev };
  }
  const hash = head[1]!;
  if (sha256(`{${line.slice(head[0].length)}`) !== hash) {
    return { ok: false, reason: 'hash-mismatch', hash, prev };
  }
  return { ok: true, entry: record as AuditEntry };
}
