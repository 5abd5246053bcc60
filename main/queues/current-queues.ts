/**
 * One QueuesService for the cluster as currently configured: created on first use, replaced
 * when the cluster's name, Redis port or external Redis changes, closed by its owner (the API, a CLI command).
 * The custom pools' watched Celery queues follow the spec read at each get().
 */
import type { Core } from '../core';
import { watchedCeleryQueues, type WatchedCeleryQueue } from './celery-queues';
import { QueuesService } from './queues-service';

export class CurrentQueues {
  private current: { key: string; service: Promise<QueuesService> } | null = null;
  private celeryWatch: WatchedCeleryQueue[] = [];

  constructor(private readonly core: Core) {}

  async get(): Promise<QueuesService> {
    const { spec } = await this.core.cluster.spec();
    this.celeryWatch = watchedCeleryQueues(spec);
    const key = `${spec.name}:${spec.redis.port}:${JSON.stringify(spec.redis.external)}`;
    if (this.current?.key !== key) {
      const previous = this.current;
      const service = this.core.cluster.redisConnection({ ensurePassword: true }).then(
        (connection) =>
          new QueuesService({
            connection,
            cluster: spec.name,
            celeryWatch: () => this.celeryWatch,
          }),
      );
      // Thrown to the caller below; the next get() tries again.
      void service.catch(() => {
        if (this.current?.service === service) this.current = null;
      });
      this.current = { key, service };
      if (previous) void previous.service.then((old) => old.close()).catch(() => {});
    }
    return this.current.service;
  }

  async close(): Promise<void> {
    const current = this.current;
    this.current = null;
    if (current) await (await current.service.catch(() => null))?.close();
  }
}
