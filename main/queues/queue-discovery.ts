/**
 * Which queues exist in the cluster's Redis.
 *
 * Design choice: the hot path (every console tick) never SCANs. Known queues are the union of
 *   1. the built-in queues every worker consumes (worker-contract BUILTIN_QUEUES),
 *   2. a registry set `guildhall:<cluster>:queues` that `addJob` (and this discovery) fill, read
 *      with one SMEMBERS, and
 *   3. the cached result of one discovery pass — SCAN MATCH `<prefix>:*:meta` COUNT 1000 — that
 *      finds queues other tools created. It runs once, lazily, the first time queues are
 *      listed, and again only on an explicit `refresh()`; its finds go into the registry, so
 *      other processes (CLI, tray) see them without scanning.
 * A name that is none of these but has a BullMQ meta key is accepted too (one EXISTS) and
 * registered, so a queue created a moment ago is never reported as unknown.
 */
import type { Redis } from 'ioredis';
import { BUILTIN_QUEUES } from '@shared/worker-contract';

export function queueRegistryKey(cluster: string): string {
  return `guildhall:${cluster}:queues`;
}

const SCAN_COUNT = 1000;

function escapeGlob(text: string): string {
  return text.replace(/[*?[\]\\]/g, (ch) => `\\${ch}`);
}

export class QueueDiscovery {
  private scanned: string[] | null = null;
  private scanning: Promise<string[]> | null = null;

  constructor(
    private readonly redis: Redis,
    private readonly cluster: string,
    private readonly prefix: string,
  ) {}

  metaKey(queue: string): string {
    return `${this.prefix}:${queue}:meta`;
  }

  isBuiltin(queue: string): boolean {
    return (BUILTIN_QUEUES as readonly string[]).includes(queue);
  }

  /** Built-ins, the registry and the cached discovery pass (run once on first use), sorted. */
  async knownQueues(): Promise<string[]> {
    const [registered, scanned] = await Promise.all([
      this.redis.smembers(queueRegistryKey(this.cluster)),
      this.scanned ?? this.refresh(),
    ]);
    return [...new Set([...BUILTIN_QUEUES, ...registered, ...scanned])].sort();
  }

  /**
   * Runs the SCAN discovery pass, caches its result, records what it found in the registry and
   * drops registry entries whose queue has neither a meta key nor a job-id counter any more.
   * Concurrent callers share one pass.
   */
  refresh(): Promise<string[]> {
    if (!this.scanning) {
      this.scanning = this.scan().finally(() => {
        this.scanning = null;
      });
    }
    return this.scanning;
  }

  /** True when the queue is known or has a meta key (then it is registered for next time). */
  async exists(queue: string): Promise<boolean> {
    if (this.isBuiltin(queue)) return true;
    const registryKey = queueRegistryKey(this.cluster);
    if ((await this.redis.sismember(registryKey, queue)) === 1) return true;
    if (this.scanned?.includes(queue)) return true;
    if ((await this.redis.exists(this.metaKey(queue))) === 0) return false;
    await this.redis.sadd(registryKey, queue);
    return true;
  }

  /** Records a queue in the registry (called when a job is added to it). */
  async register(queue: string): Promise<void> {
    await this.redis.sadd(queueRegistryKey(this.cluster), queue);
  }

  private async scan(): Promise<string[]> {
    const pattern = `${escapeGlob(this.prefix)}:*:meta`;
    const head = `${this.prefix}:`;
    const found = new Set<string>();
    let cursor = '0';
    do {
      const [next, keys] = await this.redis.scan(cursor, 'MATCH', pattern, 'COUNT', SCAN_COUNT);
      cursor = next;
      for (const key of keys) {
        const name = key.slice(head.length, -':meta'.length);
        // BullMQ queue names cannot contain ':'; longer keys are not queue meta hashes.
        if (name && !name.includes(':')) found.add(name);
      }
    } while (cursor !== '0');
    const names = [...found].sort();
    await this.reconcileRegistry(names);
    this.scanned = names;
    return names;
  }

  private async reconcileRegistry(scanned: string[]): Promise<void> {
    const registryKey = queueRegistryKey(this.cluster);
    if (scanned.length > 0) await this.redis.sadd(registryKey, ...scanned);
    const registered = await this.redis.smembers(registryKey);
    const candidates = registered.filter((q) => !scanned.includes(q) && !this.isBuiltin(q));
    if (candidates.length === 0) return;
    const pipeline = this.redis.pipeline();
    for (const queue of candidates)
      pipeline.exists(this.metaKey(queue), `${this.prefix}:${queue}:id`);
    const results = (await pipeline.exec()) ?? [];
    const gone = candidates.filter((_, i) => {
      const [err, count] = results[i] ?? [null, 1];
      return !err && count === 0;
    });
    if (gone.length > 0) await this.redis.srem(registryKey, ...gone);
  }
}
