/**
 * The cluster spec's `alerts` block: each rule's thresholds and mute, and the webhooks alerts go
 * to. A webhook names its URL by a secret in Guildhall's secret store (`urlSecret`), never the
 * URL itself: webhook URLs carry their credentials. Every field has a default, so a settings
 * file or cluster file without `alerts` gets every rule on and no webhook.
 */
import { ALERT_RULE_IDS } from '@shared/schemas/alerts';
import {
  ALERT_THRESHOLD_LIMITS as LIMITS,
  MAX_WEBHOOKS,
  WEBHOOK_NAME_PATTERN,
} from '@shared/schemas/alerts-config';
import { z } from 'zod';
import { secretNameSchema } from './pool-spec';

const muted = z.boolean().default(false);
const between = ({ min, max }: { min: number; max: number }) => z.number().int().min(min).max(max);
const minutes = between(LIMITS.minutes);

export const alertRulesSchema = z.object({
  /** The one crash-loop rule (main/monitor/alerts.ts CRASH_LOOP): no thresholds of its own. */
  crashLoop: z.object({ muted }).prefault({}),
  /** A container killed for exceeding its memory limit; holds this long after the kill. */
  oomKill: z.object({ muted, holdMinutes: minutes.default(10) }).prefault({}),
  /** A queue's failed jobs within the window: at least `minFailures`, and `percent` of those finished. */
  failureRate: z
    .object({
      muted,
      percent: between(LIMITS.percent).default(25),
      minFailures: between(LIMITS.minFailures).default(10),
      windowMinutes: minutes.default(5),
    })
    .prefault({}),
  /** A queue's oldest waiting job older than this. */
  oldestWaiting: z.object({ muted, minutes: minutes.default(15) }).prefault({}),
  /** Redis's used memory at or over this share of its limit (maxmemory). */
  redisMemory: z
    .object({ muted, percent: z.number().int().min(1).max(100).default(90) })
    .prefault({}),
  /** Free space where the engine keeps its data under this. */
  diskLow: z.object({ muted, freeMb: between(LIMITS.freeMb).default(1024) }).prefault({}),
  /** The engine not answering on this many ticks in a row. */
  engineUnreachable: z.object({ muted, checks: between(LIMITS.checks).default(2) }).prefault({}),
  /** An image build that failed (from the audit log), until a later build of it succeeds. */
  imageBuildFailed: z.object({ muted }).prefault({}),
});

export const webhookSpecSchema = z.object({
  /** Shown in deliveries and the CLI: letters, digits, "-" and "_". */
  name: z.string().regex(WEBHOOK_NAME_PATTERN, 'use letters, digits, "-" and "_" (up to 64)'),
  /** The secret holding the URL: `guildhall secret set NAME` (the URL is read from stdin). */
  urlSecret: secretNameSchema,
  /** `json`: Guildhall's own body; `slack`: a Slack-compatible `{ text, blocks }` body. */
  format: z.enum(['json', 'slack']).default('json'),
  /** The rules it gets; empty means every rule. */
  rules: z.array(z.enum(ALERT_RULE_IDS)).max(ALERT_RULE_IDS.length).default([]),
});

export const alertsSpecSchema = z.object({
  rules: alertRulesSchema.prefault({}),
  webhooks: z
    .array(webhookSpecSchema)
    .max(MAX_WEBHOOKS)
    .default([])
    .refine((hooks) => new Set(hooks.map((h) => h.name)).size === hooks.length, {
      message: 'each webhook needs a name of its own',
    }),
});

export type AlertRulesSpec = z.infer<typeof alertRulesSchema>;
export type WebhookSpec = z.infer<typeof webhookSpecSchema>;
export type AlertsSpec = z.infer<typeof alertsSpecSchema>;
