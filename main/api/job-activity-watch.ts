/**
 * Publishes 'jobs' events (the queues that had job activity) while someone listens: follows the
 * current cluster's queues with followQueueActivity, and starts again after a growing pause when
 * the cluster cannot be reached or was replaced (another name or port). Following goes on for a
 * few seconds after the last listener left, so moving between the pages that listen does not
 * start it anew.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { followQueueActivity } from '../queues/queue-activity';
import type { QueuesService } from '../queues/queues-service';

const LINGER_MS = 5_000;
const RETRY_MIN_MS = 2_000;
const RETRY_MAX_MS = 30_000;
/** A follow that lasted this long counts as having worked: the next retry starts short again. */
const HEALTHY_RUN_MS = 30_000;

export interface JobActivityWatchOptions {
  queues: () => Promise<QueuesService>;
  publish: (queues: string[]) => void;
}

export class JobActivityWatch {
  private controller: AbortController | null = null;
  private lingering: NodeJS.Timeout | null = null;

  constructor(private readonly options: JobActivityWatchOptions) {}

  setActive(active: boolean): void {
    if (active) {
      if (this.lingering) clearTimeout(this.lingering);
      this.lingering = null;
      if (!this.controller) {
        this.controller = new AbortController();
        void this.follow(this.controller.signal);
      }
    } else if (this.controller && !this.lingering) {
      this.lingering = setTimeout(() => this.stop(), LINGER_MS);
      this.lingering.unref();
    }
  }

  stop(): void {
    if (this.lingering) clearTimeout(this.lingering);
    this.lingering = null;
    this.controller?.abort();
    this.controller = null;
  }

  private async follow(signal: AbortSignal): Promise<void> {
    let retryMs = RETRY_MIN_MS;
    while (!signal.aborted) {
      const startedAt = Date.now();
      try {
        const service = await this.options.queues();
        await followQueueActivity(service.activitySource(), this.options.publish, signal);
      } catch {
        // Not running, or replaced: views keep their slower polling meanwhile.
      }
      if (signal.aborted) return;
      retryMs = Date.now() - startedAt > HEALTHY_RUN_MS ? RETRY_MIN_MS : retryMs;
      await sleep(retryMs, undefined, { signal }).catch(() => undefined);
      retryMs = Math.min(retryMs * 2, RETRY_MAX_MS);
    }
  }
}
