/**
 * The spec's alerts block edited as a whole (the console's Alerts form, `alerts.save`): the
 * rules' thresholds and mutes, and the webhooks. A webhook's URL is entered once and kept in the
 * secret store under the secret the webhook names (`WEBHOOK_<NAME>` unless it names its own);
 * the spec holds only that name, so `guildhall spec` shows the change and never the URL.
 * Everything is checked before anything is stored: a refused save leaves the secrets and the
 * settings file as they were, and its error names each wrong field (input paths, e.g.
 * `webhooks.0.url`) without ever quoting a URL.
 */
import {
  isWebhookUrl,
  type AlertsConfig,
  type AlertsSaveInput,
} from '@shared/schemas/alerts-config';
import type { Core } from '../core';
import { alertsSpecSchema, type AlertsSpec, type WebhookSpec } from '../settings/alerts-spec';
import { setUserSecret, storedSecretNames } from '../settings/user-secrets';
import { GuildhallError } from '../util/errors';

/** The secret a webhook's URL is kept in when the webhook names none of its own. */
export function webhookSecretName(webhook: string): string {
  return `WEBHOOK_${webhook.toUpperCase().replace(/-/g, '_')}`.slice(0, 64);
}

/** The alerts block as the form shows it: each webhook says whether its URL is stored. */
export async function readAlertsConfig(core: Core): Promise<AlertsConfig> {
  const { spec } = await core.cluster.spec();
  return configOf(spec.alerts, new Set(await storedSecretNames(core.secrets)));
}

function configOf(alerts: AlertsSpec, stored: ReadonlySet<string>): AlertsConfig {
  return {
    rules: alerts.rules,
    webhooks: alerts.webhooks.map((hook) => ({
      name: hook.name,
      urlSecret: hook.urlSecret,
      format: hook.format,
      rules: hook.rules,
      urlStored: stored.has(hook.urlSecret),
    })),
  };
}

interface Problem {
  field: string;
  message: string;
}

/** What is wrong with the webhooks' names and URLs (the schema checks the rest). */
function webhookProblems(input: AlertsSaveInput, stored: ReadonlySet<string>): Problem[] {
  const problems: Problem[] = [];
  const names = new Set<string>();
  const secrets = new Map<string, number>();
  input.webhooks.forEach((hook, i) => {
    const label = `webhook "${hook.name}"`;
    if (names.has(hook.name)) {
      problems.push({ field: `webhooks.${i}.name`, message: `${label} is named twice` });
    }
    names.add(hook.name);
    const secret = hook.urlSecret ?? webhookSecretName(hook.name);
    const url = hook.url?.trim();
    if (url) {
      if (!isWebhookUrl(url)) {
        problems.push({
          field: `webhooks.${i}.url`,
          message: `${label}: the URL must be an http:// or https:// address`,
        });
      }
      const other = secrets.get(secret);
      if (other !== undefined) {
        problems.push({
          field: `webhooks.${i}.name`,
          message: `${label} would keep its URL in ${secret}, as webhook ${other + 1} does: choose another name`,
        });
      }
    } else if (!stored.has(secret)) {
      problems.push({ field: `webhooks.${i}.url`, message: `${label} has no URL yet: enter it` });
    }
    if (!secrets.has(secret)) secrets.set(secret, i);
  });
  return problems;
}

function invalid(problems: Problem[]): GuildhallError {
  const shown = problems.slice(0, 3).map((p) => `${p.field}: ${p.message}`);
  const more = problems.length > 3 ? ` (and ${problems.length - 3} more)` : '';
  return new GuildhallError(
    'invalid-input',
    `Alerts not saved: ${shown.join('; ')}${more}.`,
    'Correct the marked fields and save again; nothing was changed.',
    { fields: problems.map((p) => p.field) },
  );
}

/**
 * Replaces the spec's alerts block with `input`, storing each URL given first; returns the
 * block as saved. Throws invalid-input (with `fields`) and changes nothing when a field is wrong.
 */
export async function saveAlertsConfig(core: Core, input: AlertsSaveInput): Promise<AlertsConfig> {
  const stored = new Set(await storedSecretNames(core.secrets));
  const problems = webhookProblems(input, stored);
  const webhooks: WebhookSpec[] = input.webhooks.map((hook) => ({
    name: hook.name,
    urlSecret: hook.urlSecret ?? webhookSecretName(hook.name),
    format: hook.format,
    rules: [...new Set(hook.rules)],
  }));
  const parsed = alertsSpecSchema.safeParse({ rules: input.rules, webhooks });
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const field = issue.path.join('.');
      // Duplicate names are already marked at their field; a derived secret follows the name.
      if (field === 'webhooks' && problems.some((p) => p.field.endsWith('.name'))) continue;
      const [, index, key] = issue.path;
      if (key === 'urlSecret' && input.webhooks[Number(index)]?.urlSecret === undefined) continue;
      problems.push({ field, message: issue.message });
    }
  }
  if (problems.length > 0 || !parsed.success) throw invalid(problems);

  for (const [i, hook] of input.webhooks.entries()) {
    const url = hook.url?.trim();
    if (url) await setUserSecret(core.secrets, webhooks[i]!.urlSecret, url);
  }
  await core.settings.patch({ cluster: { alerts: parsed.data } });
  return readAlertsConfig(core);
}
