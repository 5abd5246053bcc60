/** alerts.*: the alerts' journal (active, recent, deliveries) and the webhooks' "send test". */
import { alertJournalFor, sendTestAlert } from '../../alerts';
import { os } from './base';

export const alertsProcedures = {
  list: os.alerts.list.handler(async ({ context }) =>
    alertJournalFor(context.services.core).read(),
  ),

  test: os.alerts.test.handler(async ({ input, context }) => ({
    deliveries: await sendTestAlert(context.services.core, { webhook: input?.webhook }),
  })),
};
