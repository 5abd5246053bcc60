/**
 * Who supervises the configured cluster and what the supervisors did, read from its Redis by any
 * face: `guildhall status` and `guildhall events`, the API's supervisor.status and
 * supervisor.events, the console. Each read uses a short-lived connection; a cluster whose Redis
 * does not answer reads as "not reachable", with no holder and no events.
 */
import type { Core } from '../core';
import type { SupervisorEvent, SupervisorStatus } from '@shared/schemas/supervisor';
import { eventsAfter, latestEvents, type LoggedEvent } from './event-log';
import { LEASE_MS, readLeaseHolder } from './lease';
import { redisTargetOf, supervisorKeys, withSupervisorRedis } from './supervisor-redis';

export async function supervisorStatus(core: Core): Promise<SupervisorStatus> {
  const { spec } = await core.cluster.spec();
  const base = { enabled: spec.supervisor.enabled, leaseMs: LEASE_MS };
  const target = await redisTargetOf(core, spec);
  if (!target) return { ...base, reachable: false, holder: null };
  try {
    const holder = await withSupervisorRedis(target, (redis) =>
      readLeaseHolder(redis, supervisorKeys(spec.name).lease),
    );
    return { ...base, reachable: true, holder };
  } catch {
    return { ...base, reachable: false, holder: null };
  }
}

/** The latest `limit` events, oldest first; [] when Redis does not answer. */
export async function supervisorEvents(core: Core, limit = 50): Promise<LoggedEvent[]> {
  const target = await redisTargetOf(core);
  if (!target) return [];
  return withSupervisorRedis(target, (redis) =>
    latestEvents(redis, supervisorKeys(target.cluster).events, limit),
  ).catch(() => []);
}

/** Events after stream id `after`; throws when Redis does not answer (a follower retries). */
export async function supervisorEventsAfter(core: Core, after: string): Promise<LoggedEvent[]> {
  const target = await redisTargetOf(core);
  if (!target) return [];
  return withSupervisorRedis(target, (redis) =>
    eventsAfter(redis, supervisorKeys(target.cluster).events, after),
  );
}

/** "console@host:42 since 2026-12-03 08:00:00Z" or why nobody does, for `status`. */
export function describeSupervisor(status: SupervisorStatus, now = Date.now()): string {
  if (!status.enabled) return 'off (spec.supervisor.enabled is false)';
  if (!status.reachable) return 'unknown (Redis does not answer)';
  if (!status.holder) {
    return 'nobody (start `guildhall supervise`, `guildhall console` or the app)';
  }
  const since = new Date(status.holder.since)
    .toISOString()
    .replace('T', ' ')
    .replace(/\.\d+Z$/, 'Z');
  const minutes = Math.floor((now - status.holder.since) / 60_000);
  return `${status.holder.id} since ${since} (${minutes} min)`;
}

export type { SupervisorEvent };
