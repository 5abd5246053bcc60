/**
 * Compile-time guard for the alerts schemas (as main/api/contract-checks.ts does for the rest):
 * if the core's alert types change, `tsc` fails here. Nothing in this file runs.
 */
import type { z } from 'zod';
import type { AlertRecord, AlertsState, WebhookDelivery } from '../alerts/alert-record';
import type * as a from '@shared/schemas/alerts';
import type * as c from '@shared/schemas/alerts-config';
import type { AlertRulesSpec, WebhookSpec } from '../settings/alerts-spec';

type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type Check<T extends true> = T;

export type AlertsContractChecks = [
  Check<Same<z.output<typeof a.alertRecordSchema>, AlertRecord>>,
  Check<Same<z.output<typeof a.webhookDeliverySchema>, WebhookDelivery>>,
  Check<Same<z.output<typeof a.alertsViewSchema>, AlertsState>>,
];

export type AlertsConfigContractChecks = [
  Check<Same<z.output<typeof c.alertRulesConfigSchema>, AlertRulesSpec>>,
  Check<Same<Omit<z.output<typeof c.webhookConfigSchema>, 'urlStored'>, WebhookSpec>>,
];
