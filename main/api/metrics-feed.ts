/**
 * Metrics ticks into the hub while anyone listens: subscribes to the metrics source (the
 * monitor) when 'metrics' gains its first listener and unsubscribes when the last one leaves, so
 * nothing samples while nobody looks.
 */
import type { MonitorHistory } from '../monitor';
import type { ApiEventHub } from './api-events';

/** An event source for metrics ticks (the monitor); subscribed only while someone listens. */
export interface MetricsSource {
  subscribe(listener: (tick: unknown) => void): () => void;
  /** What the monitor kept (it outlives its subscribers); null before it first ran. */
  history?(): MonitorHistory | null;
}

export class MetricsFeed {
  private off: (() => void) | null = null;

  constructor(
    private readonly hub: ApiEventHub,
    private readonly source: MetricsSource | undefined,
  ) {}

  setActive(active: boolean): void {
    if (active && this.source && !this.off) {
      this.off = this.source.subscribe((tick) => this.hub.publish('metrics', tick));
    } else if (!active && this.off) {
      this.off();
      this.off = null;
    }
  }

  /** The source's kept history, or null when there is none (yet). */
  history(): MonitorHistory | null {
    return this.source?.history?.() ?? null;
  }

  stop(): void {
    this.setActive(false);
  }
}
