/**
 * `guildhall alerts [--json]`: the alerts active now and recently resolved, and each webhook's
 * last delivery (failures stand out). `guildhall alerts test [--webhook NAME] [--json]` sends a
 * test message to every webhook (or one) and says how each went; exit 1 when one failed.
 */
import type { AlertRecord, AlertsState, WebhookDelivery } from '../../alerts';
import { alertJournalFor, sendTestAlert } from '../../alerts';
import { GuildhallError } from '../../util/errors';
import { EXIT } from '../exit-codes';
import type { CommandRunner } from '../index';

const time = (ms: number | null) => (ms === null ? '-' : new Date(ms).toISOString());

function alertLine(alert: AlertRecord): string {
  const until = alert.resolvedAt === null ? '' : ` → resolved ${time(alert.resolvedAt)}`;
  return `  ${time(alert.raisedAt)}${until}  ${alert.rule}  ${alert.subject}\n    ${alert.message}`;
}

export function formatDelivery(delivery: WebhookDelivery): string {
  const what = `${delivery.event}${delivery.alertId ? ` ${delivery.alertId}` : ''}`;
  if (delivery.ok) {
    return `  ${delivery.webhook}  delivered ${what} at ${time(delivery.at)} (${delivery.attempts} ${delivery.attempts === 1 ? 'try' : 'tries'})`;
  }
  const last =
    delivery.lastDeliveredAt === null
      ? 'never delivered'
      : `last delivered ${time(delivery.lastDeliveredAt)}`;
  return `  ${delivery.webhook}  FAILED ${what} at ${time(delivery.at)} after ${delivery.attempts} ${delivery.attempts === 1 ? 'try' : 'tries'}: ${delivery.error ?? 'unknown error'} (${delivery.failuresInRow} in a row; ${last})`;
}

export function formatAlerts(state: AlertsState): string {
  const lines: string[] = [];
  if (state.evaluatedAt === null) {
    lines.push(
      'The alert rules have not run yet: they run while the app, `guildhall console` or another supervisor watches the cluster.',
    );
  } else {
    lines.push(`Rules last evaluated ${time(state.evaluatedAt)}.`);
  }
  lines.push(
    state.active.length === 0 ? 'No active alerts.' : `Active alerts (${state.active.length}):`,
  );
  for (const alert of state.active) lines.push(alertLine(alert));
  if (state.recent.length > 0) {
    lines.push(`Recently resolved (${state.recent.length}):`);
    for (const alert of state.recent.slice(0, 10)) lines.push(alertLine(alert));
  }
  if (state.deliveries.length > 0) {
    lines.push('Webhooks:');
    for (const delivery of state.deliveries) lines.push(formatDelivery(delivery));
  }
  return `${lines.join('\n')}\n`;
}

export const runAlerts: CommandRunner = async (core, io, positionals, flags) => {
  const [sub, ...extra] = positionals;
  if (sub === 'test') {
    const deliveries = await sendTestAlert(core, { webhook: flags.webhook as string | undefined });
    if (flags.json === true) io.stdout.write(`${JSON.stringify({ deliveries })}\n`);
    else for (const delivery of deliveries) io.stdout.write(`${formatDelivery(delivery)}\n`);
    return deliveries.every((delivery) => delivery.ok) ? EXIT.ok : EXIT.failure;
  }
  if (sub !== undefined || extra.length > 0) {
    throw new GuildhallError(
      'invalid-input',
      `Unknown alerts subcommand "${sub ?? ''}".`,
      'Use `guildhall alerts [--json]` or `guildhall alerts test [--webhook NAME]`.',
    );
  }
  const state = await alertJournalFor(core).read();
  io.stdout.write(flags.json === true ? `${JSON.stringify(state)}\n` : formatAlerts(state));
  return EXIT.ok;
};
