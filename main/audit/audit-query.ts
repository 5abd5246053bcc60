/**
 * Filtering the audit log for the Activity page, `guildhall audit` and the API: by face,
 * action, target and time, newest first. Times are ISO dates or "how long ago" (`30m`, `2h`,
 * `7d`), so `guildhall audit --since 1h` reads naturally.
 */
import { GuildhallError } from '../util/errors';
import type { AuditEntry, AuditFace } from './audit-entry';

export interface AuditQuery {
  since?: string | undefined;
  until?: string | undefined;
  face?: AuditFace | undefined;
  /** Matches the action exactly or as a prefix up to a dot (`queues` matches `queues.clean`). */
  action?: string | undefined;
  /** A case-insensitive part of the target. */
  target?: string | undefined;
  /** At most this many entries (newest first); default 500. */
  limit?: number | undefined;
}

const AGO = /^(\d+)\s*(s|m|h|d|w)$/i;
const UNIT_MS: Record<string, number> = {
  s: 1_000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 604_800_000,
};

/** Epoch ms of a time given as ISO text or as a duration before `now`. */
export function parseAuditTime(text: string, now: number = Date.now()): number {
  const ago = AGO.exec(text.trim());
  if (ago) return now - Number(ago[1]) * UNIT_MS[ago[2]!.toLowerCase()]!;
  const at = Date.parse(text);
  if (Number.isFinite(at)) return at;
  throw new GuildhallError(
    'invalid-input',
    `"${text}" is not a time.`,
    'Give an ISO time (2026-12-01T09:00Z) or a duration before now (30m, 2h, 7d).',
  );
}

export function filterAuditEntries(
  entries: readonly AuditEntry[],
  query: AuditQuery,
  now: number = Date.now(),
): { entries: AuditEntry[]; matched: number } {
  const since = query.since ? parseAuditTime(query.since, now) : null;
  const until = query.until ? parseAuditTime(query.until, now) : null;
  const target = query.target?.toLowerCase();
  const matches = entries.filter((entry) => {
    const at = Date.parse(entry.time);
    if (since !== null && at < since) return false;
    if (until !== null && at > until) return false;
    if (query.face && entry.face !== query.face) return false;
    if (
      query.action &&
      entry.action !== query.action &&
      !entry.action.startsWith(`${query.action}.`)
    )
      return false;
    if (target && !(entry.target ?? '').toLowerCase().includes(target)) return false;
    return true;
  });
  const newestFirst = matches.reverse();
  return { entries: newestFirst.slice(0, query.limit ?? 500), matched: newestFirst.length };
}
