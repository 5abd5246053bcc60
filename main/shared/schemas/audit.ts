/**
 * The audit log as the API sends it (mirrors main/audit/audit-entry.ts, checked by
 * main/api/contract-checks-audit.ts). Browser-safe: zod only.
 */
import { z } from 'zod';

export const AUDIT_FACE_NAMES = ['app', 'tray', 'cli', 'console', 'api', 'supervisor'] as const;

export const auditEntrySchema = z.object({
  time: z.string(),
  face: z.enum(AUDIT_FACE_NAMES),
  user: z.string(),
  action: z.string(),
  target: z.string().nullable(),
  args: z.unknown(),
  outcome: z.enum(['ok', 'error']),
  error: z.object({ code: z.string(), message: z.string() }).nullable(),
  durationMs: z.number(),
  prev: z.string(),
  hash: z.string(),
});

const timeText = z.string().max(64);

export const auditListInputSchema = z
  .strictObject({
    /** ISO time or a duration before now (30m, 2h, 7d). */
    since: timeText.optional(),
    until: timeText.optional(),
    face: z.enum(AUDIT_FACE_NAMES).optional(),
    action: z.string().max(100).optional(),
    target: z.string().max(200).optional(),
    limit: z.number().int().min(1).max(5_000).optional(),
  })
  .optional();

export const auditListSchema = z.object({
  entries: z.array(auditEntrySchema),
  /** Entries that matched the filter (the list may hold fewer: `limit`). */
  matched: z.number(),
  /** Actions seen in the log, for the filter's choices. */
  actions: z.array(z.string()),
});

export const auditVerifySchema = z.object({
  ok: z.boolean(),
  entries: z.number(),
  files: z.array(z.string()),
  problem: z
    .object({
      file: z.string(),
      line: z.number(),
      reason: z.enum(['unreadable', 'hash-mismatch', 'broken-link']),
      message: z.string(),
    })
    .nullable(),
});
