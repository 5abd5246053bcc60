/**
 * "Send test": a test message to every webhook of the spec (or one, by name), with the same
 * retries as real alerts, each outcome recorded in the journal like any delivery. Works whether
 * or not the cluster runs: it checks the path from Guildhall to the receiver.
 */
import type { Core } from '../core';
import { GuildhallError } from '../util/errors';
import type { AlertRecord, WebhookDelivery } from './alert-record';
import { alertJournalFor } from './alert-duty';
import { DEFAULT_DELIVERY_POLICY, type DeliveryPolicy } from './webhook-delivery';
import { sendToWebhook } from './webhooks';

export async function sendTestAlert(
  core: Core,
  options: { webhook?: string | undefined; delivery?: Partial<DeliveryPolicy> } = {},
): Promise<WebhookDelivery[]> {
  const { spec } = await core.cluster.spec();
  const all = spec.alerts.webhooks;
  if (all.length === 0) {
    throw new GuildhallError(
      'invalid-input',
      'No webhook is configured, so there is nothing to test.',
      "Add one on the console's Alerts page, or store its URL with `guildhall secret set SLACK_URL`, add it to the cluster file under alerts.webhooks (name, urlSecret, format) and `guildhall apply` it.",
    );
  }
  const hooks = options.webhook ? all.filter((hook) => hook.name === options.webhook) : all;
  if (hooks.length === 0) {
    throw new GuildhallError(
      'not-found',
      `No webhook is named "${options.webhook}".`,
      `The webhooks are: ${all.map((hook) => hook.name).join(', ')}.`,
    );
  }
  const now = Date.now();
  const alert: AlertRecord = {
    id: 'test:guildhall',
    rule: 'crashLoop',
    subject: 'test',
    message: `A test alert from Guildhall (cluster ${spec.name}): this webhook works.`,
    detail: {},
    raisedAt: now,
    resolvedAt: null,
  };
  const policy = { ...DEFAULT_DELIVERY_POLICY, ...options.delivery };
  const journal = alertJournalFor(core);
  return Promise.all(
    hooks.map((hook) =>
      sendToWebhook(
        hook,
        { event: 'test', cluster: spec.name, alert },
        { secrets: core.secrets, journal, policy },
      ),
    ),
  );
}
