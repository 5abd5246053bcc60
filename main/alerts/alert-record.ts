/**
 * What an alert is in the core: a condition a rule found (AlertCondition) and, once raised, its
 * record with the time it was raised and resolved (AlertRecord); and the outcome of sending one
 * message to one webhook (WebhookDelivery). The API mirrors these in @shared/schemas/alerts.
 */
import type { AlertRuleId } from '@shared/schemas/alerts';

export type { AlertRuleId };

export type AlertDetail = Record<string, string | number>;

/** A condition holding now, as a rule reports it on one tick. */
export interface AlertCondition {
  /** Stable per cause, `<rule>:<subject>`: the same condition on the next tick has the same id. */
  id: string;
  rule: AlertRuleId;
  subject: string;
  message: string;
  detail: AlertDetail;
}

export interface AlertRecord extends AlertCondition {
  raisedAt: number;
  resolvedAt: number | null;
}

export type AlertEvent = 'raised' | 'resolved' | 'test';

export interface WebhookDelivery {
  webhook: string;
  event: AlertEvent;
  alertId: string | null;
  at: number;
  ok: boolean;
  attempts: number;
  error: string | null;
  failuresInRow: number;
  lastDeliveredAt: number | null;
}

export interface AlertsState {
  active: AlertRecord[];
  recent: AlertRecord[];
  deliveries: WebhookDelivery[];
  evaluatedAt: number | null;
}

export function conditionId(rule: AlertRuleId, subject: string): string {
  return `${rule}:${subject}`;
}
