/**
 * How the console words a supervisor event: in the user's language from its action and numbers
 * (`supervisor.events.<action>`), or the core's English reason for an action it has no words
 * for (another duty's, or a failure with its error).
 */
import type { ApiOutputs } from '../api/client';
import { t, type MessageKey } from '../i18n/i18n.svelte';

export type SupervisorEventView = ApiOutputs['supervisor']['events'][number];

const KEYS: Record<string, MessageKey> = {
  acquire: 'supervisor.events.acquire',
  release: 'supervisor.events.release',
  lost: 'supervisor.events.lost',
  recreate: 'supervisor.events.recreate',
  restart: 'supervisor.events.restart',
  keep: 'supervisor.events.keep',
  backoff: 'supervisor.events.backoff',
  retry: 'supervisor.events.retry',
  recovered: 'supervisor.events.recovered',
};

/** `worker-2` for `<cluster>-worker-2`. */
function shortTarget(target: string | null, pool: string | null): string {
  if (!target) return pool ?? '';
  const number = /-(\d+)$/.exec(target)?.[1];
  return pool && number ? `${pool}-${number}` : target;
}

export function supervisorEventText(event: SupervisorEventView): string {
  if (event.detail.error !== undefined) return event.reason;
  const key =
    event.action === 'acquire' && event.detail.previous !== undefined
      ? 'supervisor.events.takeover'
      : KEYS[event.action];
  if (!key) return event.reason;
  return t(key, { ...event.detail, by: event.by, target: shortTarget(event.target, event.pool) });
}
