/**
 * alerts.*: the alerts' journal (active, recent, deliveries), the webhooks' "send test", and the
 * spec's alerts block as the console edits it (URLs go in only).
 */
import { alertJournalFor, readAlertsConfig, saveAlertsConfig, sendTestAlert } from '../../alerts';
import { os } from './base';

export const alertsProcedures = {
  list: os.alerts.list.handler(async ({ context }) =>
    alertJournalFor(context.services.core).read(),
  ),

  test: os.alerts.test.handler(async ({ input, context }) => ({
    deliveries: await sendTestAlert(context.services.core, { webhook: input?.webhook }),
  })),

  config: os.alerts.config.handler(async ({ context }) => readAlertsConfig(context.services.core)),

  save: os.alerts.save.handler(async ({ input, context }) => {
    const { services } = context;
    const saved = await saveAlertsConfig(services.core, input);
    services.hub.publish('log', {
      level: 'info',
      message: `Alerts saved: ${saved.webhooks.length} webhook(s)`,
      operation: 'alerts.save',
    });
    return saved;
  }),
};
