/**
 * The supervisor's actions in the audit log, beside the faces' own: each event of kind `action`
 * (recreate, restart, backoff, scale…) becomes one entry of face "supervisor", action
 * `supervisor.<action>`, on the container or the cluster it concerns, its reason and numbers as
 * arguments. Decisions and lease changes are in the event log only.
 */
import { appendAction, auditSinkFor, type AuditCore } from '../audit/record';
import { shortNameOf } from './event-text';
import type { SupervisorEvent } from '@shared/schemas/supervisor';

export async function auditEvent(
  core: AuditCore,
  cluster: string,
  event: SupervisorEvent,
): Promise<void> {
  if (event.kind !== 'action') return;
  const error = typeof event.detail.error === 'string' ? event.detail.error : null;
  const target = event.target
    ? `cluster:${cluster}/${shortNameOf(cluster, event.target)}`
    : event.pool
      ? `cluster:${cluster}/pool:${event.pool}`
      : `cluster:${cluster}`;
  await appendAction(
    auditSinkFor(core),
    {
      face: 'supervisor',
      action: `supervisor.${event.action}`,
      target,
      args: { reason: event.reason, ...(event.pool ? { pool: event.pool } : {}), ...event.detail },
    },
    error
      ? { outcome: 'error', error: { code: 'supervisor-action-failed', message: error } }
      : { outcome: 'ok' },
    event.at,
  );
}
