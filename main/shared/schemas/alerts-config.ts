/**
 * The alerts block as the console edits it (issue 17): each rule's thresholds and mute, and the
 * webhooks. A webhook's URL goes in only (`url`, stored in the secret store) and never comes
 * back: the answer says whether a URL is stored (`urlStored`). The thresholds' ranges, the name
 * pattern and the URL check live here so the form and the core (main/settings/alerts-spec.ts,
 * main/alerts/alert-settings.ts) share one rule.
 * Browser-safe: zod only.
 */
import { z } from 'zod';
import { alertRuleIdSchema } from './alerts';
import { alertsSettings } from './settings';

/** The ranges of the rules' thresholds: the spec's own (alerts-spec.ts uses these). */
export const ALERT_THRESHOLD_LIMITS = {
  minutes: { min: 1, max: 24 * 60 },
  percent: { min: 1, max: 100 },
  minFailures: { min: 1, max: 100_000 },
  freeMb: { min: 1, max: 1_048_576 },
  checks: { min: 1, max: 100 },
} as const;

/** A webhook's name: letters, digits, "-" and "_", up to 64. */
export const WEBHOOK_NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;

/** Whether `text` is a URL a webhook can be posted to: http(s), a host, no spaces. */
export function isWebhookUrl(text: string): boolean {
  if (/\s/.test(text)) return false;
  try {
    const url = new URL(text);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '';
  } catch {
    return false;
  }
}

/** The most webhooks a spec holds. */
export const MAX_WEBHOOKS = 20;
/** The longest webhook URL accepted. */
export const MAX_WEBHOOK_URL = 2048;

export const alertRulesConfigSchema = alertsSettings.shape.rules;

export const webhookConfigSchema = z.object({
  name: z.string(),
  /** The secret holding the URL (its name only). */
  urlSecret: z.string(),
  format: z.enum(['json', 'slack']),
  /** The rules it gets; empty: every rule. */
  rules: z.array(alertRuleIdSchema),
  /** Whether the secret store holds its URL. */
  urlStored: z.boolean(),
});

export const alertsConfigSchema = z.object({
  rules: alertRulesConfigSchema,
  webhooks: z.array(webhookConfigSchema),
});

export const webhookInputSchema = z.strictObject({
  name: z.string().max(64),
  format: z.enum(['json', 'slack']),
  rules: z.array(alertRuleIdSchema).max(16),
  /** Keep this secret (an existing webhook's); left out, the core names one from the webhook. */
  urlSecret: z.string().max(64).optional(),
  /** A new URL, stored in the secret store; left out, the stored one stays. */
  url: z.string().max(MAX_WEBHOOK_URL).optional(),
});

/** The whole alerts block: rules and webhooks replace what the spec held. */
export const alertsSaveInputSchema = z.strictObject({
  rules: alertRulesConfigSchema,
  webhooks: z.array(webhookInputSchema).max(MAX_WEBHOOKS),
});

export type AlertsConfig = z.infer<typeof alertsConfigSchema>;
export type WebhookConfig = z.infer<typeof webhookConfigSchema>;
export type AlertsSaveInput = z.infer<typeof alertsSaveInputSchema>;
export type WebhookInput = z.infer<typeof webhookInputSchema>;
