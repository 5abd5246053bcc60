/** audit.*: the audit log for the Activity page, filtered; and the check of its hash chain. */
import { auditSinkFor, filterAuditEntries } from '../../audit';
import { os } from './base';

export const auditProcedures = {
  list: os.audit.list.handler(async ({ input, context }) => {
    const { log } = auditSinkFor(context.services.core);
    const all = await log.read();
    const actions = [...new Set(all.map((entry) => entry.action))].sort();
    return { ...filterAuditEntries(all, input ?? {}), actions };
  }),

  verify: os.audit.verify.handler(async ({ context }) =>
    auditSinkFor(context.services.core).log.verify(),
  ),
};
