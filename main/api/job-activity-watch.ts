/**
 * Publishes 'jobs' events (the queues that had job activity) while someone listens: follows the
 * current cluster's queues with followQueueActivity, and starts again after a pause when the
 * cluster cannot be reached or was replaced (another name or port).
 */
import { followQueueActivity } from '../queues/queue-activity';
import type { QueuesService } from '../queues/queues-service';

export interface JobActivityWatchOptions {
  queues: () => Promise<QueuesService>;
  publish: (queues: string[]) => void;
  /** Pause before following again after a failure (default 2 s). */
  retryMs?: number;
}

export class JobActivityWatch {
  private controller: AbortController | null = null;

  constructor(private readonly options: JobActivityWatchOptions) {}

  setActive(active: boolean): void {
    if (active && !this.controller) {
      this.controller = new AbortController();
      void this.follow(this.controller.signal);
    } else if (!active && this.controller) {
      this.controller.abort();
      this.controller = null;
    }
  }

  stop(): void {
    this.setActive(false);
  }

  private async follow(signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      try {
        const service = await this.options.queues();
        await followQueueActivity(service.activitySource(), this.options.publish, signal);
      } catch {
        // Not running, or replaced: views keep their slower polling meanwhile.
      }
      if (signal.aborted) return;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, this.options.retryMs ?? 2_000);
        signal.addEventListener('abort', () => (clearTimeout(timer), resolve()), { once: true });
      });
    }
  }
}
