/**
 * Which supervisor events a pool's autoscale panel shows (its scale-ups, scale-downs and holds,
 * newest first) and how each reads in the user's language: the catalogue's wording filled with
 * the event's numbers (`detail`), or the core's English reason when the event is of a kind the
 * catalogue does not know.
 */
import type { SupervisorEvent } from '@shared/schemas/supervisor';
import { formatBytes, formatDuration, formatPercent, t } from '../i18n/i18n.svelte';

/** The autoscale duty's actions (main/supervisor/autoscale.ts). */
export const AUTOSCALE_ACTIONS: ReadonlySet<string> = new Set(['scale-up', 'scale-down', 'hold']);

const MIB = 1024 * 1024;

/** The pool's autoscale events, newest first, at most `limit`. */
export function poolAutoscaleEvents(
  events: readonly SupervisorEvent[],
  pool: string,
  limit = 5,
): SupervisorEvent[] {
  return events
    .filter((event) => event.pool === pool && AUTOSCALE_ACTIONS.has(event.action))
    .sort((a, b) => b.at - a.at)
    .slice(0, limit);
}

/** One event as the user reads it. */
export function autoscaleEventText(event: SupervisorEvent): string {
  const d = event.detail;
  const num = (key: string) => (typeof d[key] === 'number' ? d[key] : Number(d[key] ?? NaN));
  const has = (...keys: string[]) => keys.every((key) => d[key] !== undefined);
  const held = { to: num('to'), wanted: num('wanted') };
  if ((event.action === 'scale-up' || event.action === 'scale-down') && has('from', 'to')) {
    const params = {
      from: num('from'),
      to: num('to'),
      backlog: num('backlog'),
      perWorker: num('perWorker'),
    };
    const text = t(
      event.action === 'scale-up' ? 'autoscale.event.scaleUp' : 'autoscale.event.scaleDown',
      params,
    );
    return num('wanted') !== num('to') ? text + t('autoscale.event.wanted', held) : text;
  }
  if (event.action === 'hold') {
    switch (d['code']) {
      case 'memory':
        if (!has('freeMb', 'memoryMb', 'marginMb')) break;
        return t('autoscale.hold.memory', {
          ...held,
          free: formatBytes(num('freeMb') * MIB),
          perWorker: formatBytes(num('memoryMb') * MIB),
          margin: formatBytes(num('marginMb') * MIB),
        });
      case 'cpu':
        return t('autoscale.hold.cpu', {
          ...held,
          cpu: formatPercent(num('cpuPercent')),
          limit: formatPercent(num('cpuLimit')),
        });
      case 'limit':
        return t('autoscale.hold.limit', { ...held, total: num('total'), limit: num('limit') });
      case 'cooldown':
        return t('autoscale.hold.cooldown', {
          ...held,
          left: formatDuration(num('leftSeconds') * 1000),
          cooldown: formatDuration(num('cooldownSeconds') * 1000),
        });
      case 'busy':
        return t('autoscale.hold.busy', { ...held, busy: String(d['busy'] ?? '') });
      case 'host-unknown':
        return t('autoscale.hold.hostUnknown', held);
      case 'failed':
        return t('autoscale.hold.failed', { ...held, error: String(d['error'] ?? '') });
    }
  }
  return event.reason;
}

/** A pool's autoscale block as the settings hold it (main/settings/pool-spec.ts). */
export interface AutoscaleBlock {
  min: number;
  max: number;
  backlogPerWorker: number;
  cooldownSeconds: number;
}
