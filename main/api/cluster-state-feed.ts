/**
 * Publishes the cluster's status to the event hub when it changes: polled while someone
 * listens to 'cluster-state', and offered right after every cluster operation. (The tray's
 * picture of the cluster is electron/cluster-watch.ts's ClusterWatch.)
 */
import type { ClusterStatus } from '../cluster/status';

export interface ClusterStateFeedOptions {
  read: () => Promise<ClusterStatus>;
  publish: (status: ClusterStatus) => void;
  intervalMs?: number;
}

export class ClusterStateFeed {
  private last: string | null = null;
  private timer: NodeJS.Timeout | null = null;
  private active = false;
  private polling = false;

  constructor(private readonly options: ClusterStateFeedOptions) {}

  /** Starts or stops polling. */
  setActive(active: boolean): void {
    if (active === this.active) return;
    this.active = active;
    if (active) this.schedule(0);
    else if (this.timer) {
      clearTimeout(this.timer);
      this.timer = null;
    }
  }

  /** Publishes the status if it differs from the last one published. */
  offer(status: ClusterStatus): void {
    const key = JSON.stringify(status);
    if (key === this.last) return;
    this.last = key;
    this.options.publish(status);
  }

  stop(): void {
    this.setActive(false);
  }

  private schedule(delayMs: number): void {
    this.timer = setTimeout(() => void this.poll(), delayMs);
    this.timer.unref();
  }

  private async poll(): Promise<void> {
    this.timer = null;
    if (this.polling) return;
    this.polling = true;
    try {
      this.offer(await this.options.read());
    } catch {
      // Engine unreachable for a moment: the next poll tries again; calls report the error.
    } finally {
      this.polling = false;
      if (this.active && !this.timer) this.schedule(this.options.intervalMs ?? 2_000);
    }
  }
}
