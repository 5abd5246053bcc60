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
import { redactUrl } from './webhook-delivery';

export const ALERTS_BUNDLE_ENTRY = 'alerts.json';

async function alertsBundleState(core: Core): Promise<unknown> {
  const { spec } = await core.cluster.spec();
  const state = await alertJournalFor(core).read();
  const urls = new Map<string, string>();
  const webhooks = [];
  for (const hook of spec.alerts.webhooks) {
    const url = (await core.secrets.get(userSecretKey(hook.urlSecret)))?.trim();
    if (url) urls.set(hook.name, url);
    webhooks.push({
      name: hook.name,
      format: hook.format,
      rules: hook.rules,
      urlSecret: hook.urlSecret,
      urlStored: Boolean(url),
    });
  }
  const clean = (text: string | null) =>
    text === null ? null : [...urls.values()].reduce((out, url) => redactUrl(out, url), text);
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
