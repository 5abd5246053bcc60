/** supervisor.*: who supervises the cluster (the lease) and the supervisor's latest events. */
import { supervisorEvents, supervisorStatus } from '../../supervisor/supervisor-status';
import { os } from './base';

export const supervisorProcedures = {
  status: os.supervisor.status.handler(({ context }) => supervisorStatus(context.services.core)),

  events: os.supervisor.events.handler(async ({ input, context }) =>
    (await supervisorEvents(context.services.core, input?.limit ?? 50)).map(({ event }) => event),
  ),
};
