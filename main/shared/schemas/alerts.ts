/**
 * The alert rules' view as every face reads it (main/alerts): which rules exist, the alerts
 * active now and recently resolved, and how each webhook's deliveries went. Mirrors
 * main/alerts/alert-record.ts (main/api/contract-checks-alerts.ts keeps them equal).
 * Browser-safe: zod only.
 */
import { z } from 'zod';

/** Every rule the core evaluates; the keys of the cluster spec's `alerts.rules`. */
export const ALERT_RULE_IDS = [
  'crashLoop',
  'oomKill',
  'failureRate',
  'oldestWaiting',
  'redisMemory',
  'diskLow',
  'engineUnreachable',
  'imageBuildFailed',
] as const;
export const alertRuleIdSchema = z.enum(ALERT_RULE_IDS);
export type AlertRuleId = z.infer<typeof alertRuleIdSchema>;

export const alertRecordSchema = z.object({
  /** Stable per cause ("crashLoop:guildhall-worker-2"): the key of de-duplication. */
  id: z.string(),
  rule: alertRuleIdSchema,
  /** What it is about: a worker, a queue, "redis", "disk", "engine", an image. */
  subject: z.string(),
  /** In English; `detail` carries its values for the console's own wording. */
  message: z.string(),
  detail: z.record(z.string(), z.union([z.string(), z.number()])),
  raisedAt: z.number(),
  /** When the condition cleared; null while it holds. */
  resolvedAt: z.number().nullable(),
});

export const webhookDeliverySchema = z.object({
  /** The webhook's name in the cluster spec (never its URL: that is a secret). */
  webhook: z.string(),
  /** What was sent last: raised, resolved or test. */
  event: z.enum(['raised', 'resolved', 'test']),
  alertId: z.string().nullable(),
  at: z.number(),
  ok: z.boolean(),
  /** Tries made for that message (1 = no retry needed). */
  attempts: z.number(),
  /** Why the last try failed (URL redacted); null when it was delivered. */
  error: z.string().nullable(),
  /** Failed messages since the last delivered one. */
  failuresInRow: z.number(),
  lastDeliveredAt: z.number().nullable(),
});

export const alertsViewSchema = z.object({
  active: z.array(alertRecordSchema),
  /** Resolved alerts, newest first (bounded). */
  recent: z.array(alertRecordSchema),
  /** One line per configured webhook that has been tried, by name. */
  deliveries: z.array(webhookDeliverySchema),
  /** When the rules were last evaluated; null when never (no supervisor ran yet). */
  evaluatedAt: z.number().nullable(),
});

export const alertsTestInputSchema = z
  .strictObject({
    /** Only this webhook (by name); all of them when left out. */
    webhook: z.string().max(64).optional(),
  })
  .optional();

export const alertsTestResultSchema = z.object({
  deliveries: z.array(webhookDeliverySchema),
});

export type AlertRecordView = z.infer<typeof alertRecordSchema>;
export type WebhookDeliveryView = z.infer<typeof webhookDeliverySchema>;
export type AlertsView = z.infer<typeof alertsViewSchema>;
