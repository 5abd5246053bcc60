/**
 * The supervisor's event log: every action and decision a duty records, and every change of
 * who supervises, kept in the cluster's Redis as a stream capped at about MAX_EVENTS entries, so
 * any face reads the same log (`guildhall events`, the console's Workers page) whichever process
 * wrote it. Entries are SupervisorEvent JSON; unreadable ones are skipped.
 */
import type { Redis } from 'ioredis';
import { supervisorEventSchema, type SupervisorEvent } from '@shared/schemas/supervisor';

/** About this many of the latest events are kept (the stream is trimmed as it grows). */
export const MAX_EVENTS = 1000;

/** An event with its stream id, the position `after` continues from. */
export interface LoggedEvent {
  id: string;
  event: SupervisorEvent;
}

function parseEntries(entries: [string, string[]][]): LoggedEvent[] {
  const events: LoggedEvent[] = [];
  for (const [id, fields] of entries) {
    const index = fields.indexOf('event');
    if (index < 0) continue;
    try {
      const parsed = supervisorEventSchema.safeParse(JSON.parse(fields[index + 1] ?? ''));
      if (parsed.success) events.push({ id, event: parsed.data });
    } catch {
      // not JSON: skipped
    }
  }
  return events;
}

/** Appends events (in order) to the log under `key`. */
export async function appendEvents(
  redis: Redis,
  key: string,
  events: readonly SupervisorEvent[],
): Promise<void> {
  if (events.length === 0) return;
  const pipeline = redis.pipeline();
  for (const event of events) {
    pipeline.xadd(key, 'MAXLEN', '~', String(MAX_EVENTS), '*', 'event', JSON.stringify(event));
  }
  const results = (await pipeline.exec()) ?? [];
  const failed = results.find(([err]) => err);
  if (failed?.[0]) throw failed[0];
}

/** The latest `limit` events, oldest first. */
export async function latestEvents(redis: Redis, key: string, limit = 50): Promise<LoggedEvent[]> {
  const entries = (await redis.xrevrange(key, '+', '-', 'COUNT', limit)) as [string, string[]][];
  return parseEntries(entries).reverse();
}

/** Events after stream id `after` (exclusive), oldest first, at most `limit`. */
export async function eventsAfter(
  redis: Redis,
  key: string,
  after: string,
  limit = 100,
): Promise<LoggedEvent[]> {
  const entries = (await redis.xrange(key, `(${after}`, '+', 'COUNT', limit)) as [
    string,
    string[],
  ][];
  return parseEntries(entries);
}
