/**
 * Sending alerts to the spec's webhooks: which webhooks get a rule, the URL from the secret
 * store (the spec names only the secret), the body in the webhook's format, and the outcome in
 * the journal. A webhook whose secret is missing or not an http(s) URL fails visibly, like one
 * whose receiver is down.
 */
import { userSecretKey } from '../settings/user-secrets';
import type { SecretStore } from '../settings/secret-store';
import type { WebhookSpec } from '../settings/alerts-spec';
import type { AlertEvent, AlertRecord, AlertRuleId, WebhookDelivery } from './alert-record';
import type { AlertJournal } from './alert-journal';
import { webhookBody } from './webhook-body';
import { postWithRetries, type DeliveryOutcome, type DeliveryPolicy } from './webhook-delivery';

export function webhooksFor(webhooks: readonly WebhookSpec[], rule: AlertRuleId): WebhookSpec[] {
  return webhooks.filter((hook) => hook.rules.length === 0 || hook.rules.includes(rule));
}

async function webhookUrl(
  secrets: SecretStore,
  hook: WebhookSpec,
): Promise<{ url: string } | { error: string }> {
  const url = (await secrets.get(userSecretKey(hook.urlSecret)))?.trim();
  if (!url) {
    return {
      error: `the secret ${hook.urlSecret} holding its URL is not stored (guildhall secret set ${hook.urlSecret})`,
    };
  }
  if (!/^https?:\/\//i.test(url)) {
    return { error: `the secret ${hook.urlSecret} does not hold an http(s) URL` };
  }
  return { url };
}

export interface SendOptions {
  secrets: SecretStore;
  journal: AlertJournal;
  policy?: DeliveryPolicy | undefined;
  signal?: AbortSignal | undefined;
  now?: () => number;
}

/** Sends one alert message to one webhook (with retries) and records the outcome. */
export async function sendToWebhook(
  hook: WebhookSpec,
  message: { event: AlertEvent; cluster: string; alert: AlertRecord },
  options: SendOptions,
): Promise<WebhookDelivery> {
  const target = await webhookUrl(options.secrets, hook);
  const outcome: DeliveryOutcome =
    'error' in target
      ? { ok: false, attempts: 0, error: target.error }
      : await postWithRetries(
          target.url,
          webhookBody(hook.format, message),
          options.policy,
          options.signal,
        );
  return options.journal.recordDelivery({
    webhook: hook.name,
    event: message.event,
    alertId: message.event === 'test' ? null : message.alert.id,
    at: (options.now ?? Date.now)(),
    ok: outcome.ok,
    attempts: outcome.attempts,
    error: outcome.error,
  });
}
