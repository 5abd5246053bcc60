/**
 * Workers as the console shows them: BullMQ's view (named worker connections per queue, from
 * CLIENT LIST via `queue.getWorkers()`) joined with Guildhall heartbeats (see worker-contract).
 */
import type { Redis } from 'ioredis';
import {
  heartbeatIndexKey,
  heartbeatKey,
  heartbeatSchema,
  type Heartbeat,
} from '@shared/worker-contract';
import type { WorkerView } from './queue-types';

/** Removes index members whose heartbeat key is gone, checked atomically so a fresh beat is kept. */
const PRUNE_EXPIRED_SCRIPT = `
local removed = 0
for i = 2, #KEYS do
  if redis.call('EXISTS', KEYS[i]) == 0 then
    removed = removed + redis.call('SREM', KEYS[1], ARGV[i - 1])
  end
end
return removed`;

/**
 * Reads every live heartbeat of the cluster: the index set, one MGET of the keys, each value
 * parsed with `heartbeatSchema`. Members whose key has expired are pruned from the index.
 * A value that does not parse is skipped (and kept: its worker may be a newer version).
 */
export async function readHeartbeats(
  redis: Redis,
  cluster: string,
): Promise<Map<string, Heartbeat>> {
  const beats = new Map<string, Heartbeat>();
  const indexKey = heartbeatIndexKey(cluster);
  const members = (await redis.smembers(indexKey)).sort();
  if (members.length === 0) return beats;
  const keys = members.map((name) => heartbeatKey(cluster, name));
  const values = await redis.mget(...keys);
  const expired: string[] = [];
  members.forEach((name, i) => {
    const raw = values[i];
    if (raw === null || raw === undefined) {
      expired.push(name);
      return;
    }
    const beat = parseHeartbeat(raw);
    if (beat) beats.set(name, beat);
  });
  if (expired.length > 0) {
    const expiredKeys = expired.map((name) => heartbeatKey(cluster, name));
    await redis.eval(
      PRUNE_EXPIRED_SCRIPT,
      expiredKeys.length + 1,
      indexKey,
      ...expiredKeys,
      ...expired,
    );
  }
  return beats;
}

export function parseHeartbeat(raw: string): Heartbeat | null {
  try {
    const parsed = heartbeatSchema.safeParse(JSON.parse(raw));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/** One entry of BullMQ's `queue.getWorkers()`: CLIENT LIST fields plus `rawname`. */
export type BullmqClientInfo = Record<string, string>;

/**
 * The worker name from a BullMQ client entry: the raw client name is
 * `<prefix>:<base64(queue)>:w:<workerName>`; workers started without a name have no `:w:` part.
 */
export function workerNameFromClient(client: BullmqClientInfo): string {
  const raw = client['rawname'] ?? '';
  const marker = raw.indexOf(':w:');
  if (marker >= 0 && marker + 3 < raw.length) return raw.slice(marker + 3);
  return `unnamed@${client['addr'] ?? client['id'] ?? '?'}`;
}

/** Joins BullMQ's workers per queue with heartbeats; a worker known to either side is listed. */
export function joinWorkers(
  clientsByQueue: ReadonlyMap<string, readonly BullmqClientInfo[]>,
  heartbeats: ReadonlyMap<string, Heartbeat>,
): WorkerView[] {
  const queuesByWorker = new Map<string, Set<string>>();
  for (const [queue, clients] of clientsByQueue) {
    for (const client of clients) {
      const name = workerNameFromClient(client);
      let queues = queuesByWorker.get(name);
      if (!queues) queuesByWorker.set(name, (queues = new Set()));
      queues.add(queue);
    }
  }
  const names = new Set([...queuesByWorker.keys(), ...heartbeats.keys()]);
  return [...names].sort().map((name): WorkerView => {
    const heartbeat = heartbeats.get(name) ?? null;
    const seen = queuesByWorker.get(name);
    return {
      name,
      queues: seen ? [...seen].sort() : [...(heartbeat?.queues ?? [])].sort(),
      heartbeat,
      state: heartbeat?.state ?? 'unknown',
      connected: seen !== undefined,
    };
  });
}
