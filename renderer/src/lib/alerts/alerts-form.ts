/**
 * The Alerts form's state and rules, apart from the page: a draft made from `alerts.config`
 * (numbers as typed text, each webhook with its URL field empty), its problems by field (the
 * core's ranges from @shared/schemas/alerts-config), the `alerts.save` input it becomes, and the
 * server's field errors. Fields are named by their input paths (`rules.diskLow.freeMb`,
 * `webhooks.0.url`), as the API names them in its errors.
 */
import { ALERT_RULE_IDS, type AlertRuleId } from '@shared/schemas/alerts';
import {
  ALERT_THRESHOLD_LIMITS,
  isWebhookUrl,
  WEBHOOK_NAME_PATTERN,
  type AlertsConfig,
  type AlertsSaveInput,
} from '@shared/schemas/alerts-config';
import type { MessageKey } from '../i18n/i18n.svelte';

export type ThresholdKey =
  'holdMinutes' | 'percent' | 'minFailures' | 'windowMinutes' | 'minutes' | 'freeMb' | 'checks';

type Limit = keyof typeof ALERT_THRESHOLD_LIMITS;

/** Each rule's thresholds in the order shown, with the range each takes. */
export const RULE_THRESHOLDS: Record<AlertRuleId, { key: ThresholdKey; limit: Limit }[]> = {
  crashLoop: [],
  oomKill: [{ key: 'holdMinutes', limit: 'minutes' }],
  failureRate: [
    { key: 'percent', limit: 'percent' },
    { key: 'minFailures', limit: 'minFailures' },
    { key: 'windowMinutes', limit: 'minutes' },
  ],
  oldestWaiting: [{ key: 'minutes', limit: 'minutes' }],
  redisMemory: [{ key: 'percent', limit: 'percent' }],
  diskLow: [{ key: 'freeMb', limit: 'freeMb' }],
  engineUnreachable: [{ key: 'checks', limit: 'checks' }],
  imageBuildFailed: [],
};

export interface RuleDraft {
  muted: boolean;
  /** Threshold → the text in its field. */
  values: Partial<Record<ThresholdKey, string>>;
}

export interface WebhookDraft {
  /** A key of the form's own, stable while the name is edited. */
  id: string;
  name: string;
  format: 'json' | 'slack';
  rules: AlertRuleId[];
  /** The secret holding its URL when saved before; null for a new webhook. */
  urlSecret: string | null;
  urlStored: boolean;
  /** A new URL typed (empty: keep the stored one). */
  url: string;
}

export interface AlertsDraft {
  rules: Record<AlertRuleId, RuleDraft>;
  webhooks: WebhookDraft[];
}

/** A problem from the catalogue (`key`), or the server's message as it came (`text`). */
export type FieldError =
  { key: MessageKey; params?: Record<string, string | number> } | { text: string };

export type AlertsErrors = Record<string, FieldError>;

let nextId = 0;
export const newWebhookId = () => `new-${++nextId}`;

export function draftFrom(config: AlertsConfig): AlertsDraft {
  const rules = {} as Record<AlertRuleId, RuleDraft>;
  for (const rule of ALERT_RULE_IDS) {
    const saved = config.rules[rule] as { muted: boolean } & Partial<Record<ThresholdKey, number>>;
    const values: RuleDraft['values'] = {};
    for (const { key } of RULE_THRESHOLDS[rule]) values[key] = String(saved[key] ?? '');
    rules[rule] = { muted: saved.muted, values };
  }
  return {
    rules,
    webhooks: config.webhooks.map((hook) => ({
      id: `saved-${hook.name}`,
      name: hook.name,
      format: hook.format,
      rules: [...hook.rules],
      urlSecret: hook.urlSecret,
      urlStored: hook.urlStored,
      url: '',
    })),
  };
}

export function emptyWebhook(): WebhookDraft {
  return {
    id: newWebhookId(),
    name: '',
    format: 'json',
    rules: [],
    urlSecret: null,
    urlStored: false,
    url: '',
  };
}

/** The draft's problems by field (none: an empty object). */
export function validateDraft(draft: AlertsDraft): AlertsErrors {
  const errors: AlertsErrors = {};
  for (const rule of ALERT_RULE_IDS) {
    for (const { key, limit } of RULE_THRESHOLDS[rule]) {
      const { min, max } = ALERT_THRESHOLD_LIMITS[limit];
      const text = (draft.rules[rule].values[key] ?? '').trim();
      const value = Number(text);
      if (!/^\d+$/.test(text) || value < min || value > max) {
        errors[`rules.${rule}.${key}`] = {
          key: 'alertsForm.validation.integer',
          params: { min, max },
        };
      }
    }
  }
  const seen = new Set<string>();
  draft.webhooks.forEach((hook, i) => {
    if (!WEBHOOK_NAME_PATTERN.test(hook.name)) {
      errors[`webhooks.${i}.name`] = { key: 'alertsForm.validation.name' };
    } else if (seen.has(hook.name)) {
      errors[`webhooks.${i}.name`] = { key: 'alertsForm.validation.duplicate' };
    }
    seen.add(hook.name);
    const url = hook.url.trim();
    if (url !== '' && !isWebhookUrl(url)) {
      errors[`webhooks.${i}.url`] = { key: 'alertsForm.validation.url' };
    } else if (url === '' && !hook.urlStored) {
      errors[`webhooks.${i}.url`] = { key: 'alertsForm.validation.urlNeeded' };
    }
  });
  return errors;
}

export const hasErrors = (errors: AlertsErrors) => Object.keys(errors).length > 0;

/** The `alerts.save` input of a valid draft. */
export function inputFrom(draft: AlertsDraft): AlertsSaveInput {
  const rules = {} as Record<AlertRuleId, Record<string, unknown>>;
  for (const rule of ALERT_RULE_IDS) {
    const entry: Record<string, unknown> = { muted: draft.rules[rule].muted };
    for (const { key } of RULE_THRESHOLDS[rule]) {
      entry[key] = Number((draft.rules[rule].values[key] ?? '').trim());
    }
    rules[rule] = entry;
  }
  return {
    rules: rules as AlertsSaveInput['rules'],
    webhooks: draft.webhooks.map((hook) => ({
      name: hook.name,
      format: hook.format,
      rules: hook.rules,
      ...(hook.urlSecret ? { urlSecret: hook.urlSecret } : {}),
      ...(hook.url.trim() ? { url: hook.url.trim() } : {}),
    })),
  };
}

/** Field errors from the API's invalid-input error (`fields` holds input paths). */
export function serverErrors(fields: readonly string[] | undefined, message: string): AlertsErrors {
  const errors: AlertsErrors = {};
  for (const field of fields ?? []) {
    errors[field] = { text: message };
  }
  return errors;
}

/** Whether the draft differs from what was saved (a typed URL counts as a change). */
export function isDirty(draft: AlertsDraft, saved: AlertsDraft): boolean {
  const plain = (d: AlertsDraft) =>
    JSON.stringify({ ...d, webhooks: d.webhooks.map(({ id: _id, ...hook }) => hook) });
  return plain(draft) !== plain(saved);
}
