/**
 * An alert's title and sentence in the console's language: the rule's words filled with the
 * alert's figures (the English `message` is the core's, for logs and webhooks).
 */
import type { AlertRecordView } from '@shared/schemas/alerts';
import { t } from '../i18n/i18n.svelte';

export function alertTitle(alert: Pick<AlertRecordView, 'rule'>): string {
  return t(`alerts.rules.${alert.rule}`);
}

export function alertBody(alert: Pick<AlertRecordView, 'rule' | 'detail'>): string {
  return t(`alerts.bodies.${alert.rule}`, alert.detail);
}
