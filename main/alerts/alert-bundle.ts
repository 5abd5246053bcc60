/**
 * The alerts' part of a support bundle (`alerts.json`): the alerts active now and recently
 * resolved, each webhook's last delivery by name, and the webhooks as the spec names them (name,
 * format, rules, the secret's name and whether it is stored). Never a URL: the journal holds
 * none, and each delivery's error text is cleared of its webhook's URL, path and query again here
 * before the bundle scrubs every stored secret.
 */
import type { Core } from '../core';
import type { BundleSection } from '../diagnostics/support-bundle';
import { userSecretKey } from '../settings/user-secrets';
import { alertJournalFor } from './alert-duty';
import { readAlertsConfig } from './alert-settings';
import { redactUrl } from './webhook-delivery';

export const ALERTS_BUNDLE_ENTRY = 'alerts.json';

async function alertsBundleState(core: Core): Promise<unknown> {
  // The webhooks as the Alerts form shows them (alert-settings.ts): names, never URLs.
  const { webhooks } = await readAlertsConfig(core);
  const state = await alertJournalFor(core).read();
  const urls: string[] = [];
  for (const hook of webhooks) {
    const url = (await core.secrets.get(userSecretKey(hook.urlSecret)))?.trim();
    if (url) urls.push(url);
  }
  const clean = (text: string | null) =>
    text === null ? null : urls.reduce((out, url) => redactUrl(out, url), text);
  return {
    evaluatedAt: state.evaluatedAt,
    active: state.active,
    recent: state.recent,
    deliveries: state.deliveries.map((line) => ({ ...line, error: clean(line.error) })),
    webhooks,
  };
}

export function alertsBundleSection(core: Core): BundleSection {
  return {
    name: ALERTS_BUNDLE_ENTRY,
    describe:
      "alerts active and recently resolved, each webhook's last delivery by name (no webhook URL)",
    read: () => alertsBundleState(core),
  };
}
