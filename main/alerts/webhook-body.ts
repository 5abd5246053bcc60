/**
 * What a webhook receives for an alert raised, resolved or sent as a test: Guildhall's own JSON
 * (`json`: the alert's fields, times as ISO text) or a Slack-compatible body (`slack`: `text`
 * for notifications plus `blocks`; Mattermost and Rocket.Chat accept it too). Pure.
 */
import type { AlertEvent, AlertRecord } from './alert-record';

export type WebhookFormat = 'json' | 'slack';

export interface WebhookMessage {
  event: AlertEvent;
  cluster: string;
  alert: AlertRecord;
}

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

export function jsonBody(message: WebhookMessage): Record<string, unknown> {
  const { alert } = message;
  return {
    source: 'guildhall',
    cluster: message.cluster,
    event: message.event,
    alert: {
      id: alert.id,
      rule: alert.rule,
      subject: alert.subject,
      message: alert.message,
      detail: alert.detail,
      raisedAt: iso(alert.raisedAt),
      resolvedAt: iso(alert.resolvedAt),
    },
  };
}

/** Slack's mrkdwn treats &, < and > as markup: escaped as its documentation asks. */
export function slackEscape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

const HEADLINE: Record<AlertEvent, string> = {
  raised: ':red_circle: Alert',
  resolved: ':large_green_circle: Resolved',
  test: ':information_source: Test',
};

export function slackBody(message: WebhookMessage): Record<string, unknown> {
  const { alert } = message;
  const headline = `${HEADLINE[message.event]} · ${slackEscape(message.cluster)}`;
  const text = `${headline}: ${slackEscape(alert.message)}`;
  return {
    text,
    blocks: [
      {
        type: 'section',
        text: { type: 'mrkdwn', text: `*${headline}*\n${slackEscape(alert.message)}` },
      },
      {
        type: 'context',
        elements: [
          {
            type: 'mrkdwn',
            text: `rule \`${alert.rule}\` · ${slackEscape(alert.subject)} · since ${iso(alert.raisedAt)}`,
          },
        ],
      },
    ],
  };
}

export function webhookBody(format: WebhookFormat, message: WebhookMessage): string {
  return JSON.stringify(format === 'slack' ? slackBody(message) : jsonBody(message));
}
