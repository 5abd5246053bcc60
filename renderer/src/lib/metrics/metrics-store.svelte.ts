/**
 * Live metrics for the dashboard and the workers page, from the monitor's 1 s ticks on the
 * event stream: host CPU and memory history (a bounded series, five minutes), the latest
 * sample of each cluster container, and which workers are crash-looping (the core's 'alerts'
 * events).
 *
 * Pages call `acquire()` while they show metrics; the subscription (and so the monitor on the
 * server) runs only while someone looks, lingering briefly so moving between pages keeps the
 * history continuous. Each new subscription first reads the history the server's monitor kept
 * (`metrics.history`), so the charts show the last minutes at once, even right after a reload.
 */
import { api } from '../api/client';
import type { Columns } from '../charts/series';
import { followEvents } from '../shell/event-stream';
import { MetricsModel, type CrashLoop } from './metrics-model';
import type { ContainerSample } from './metrics-tick';

export { HOST_HISTORY_POINTS, HOST_SERIES, MetricsModel } from './metrics-model';
export type { CrashLoop } from './metrics-model';
const LINGER_MS = 30_000;

class MetricsStore {
  private readonly model = new MetricsModel();
  hostColumns = $state.raw<Columns>(this.model.host.columns());
  memoryTotalBytes = $state<number | null>(null);
  containers = $state.raw<ReadonlyMap<string, ContainerSample>>(new Map());
  crashLoops = $state.raw<ReadonlyMap<string, CrashLoop>>(new Map());
  lastTickAt = $state<number | null>(null);
  private users = 0;
  private off: (() => void) | null = null;
  private lingerTimer: ReturnType<typeof setTimeout> | null = null;

  latestHost(series: number): number | null {
    return this.model.host.latest(series);
  }

  /** Subscribes while the caller shows metrics; call the returned function when done. */
  acquire(): () => void {
    this.users++;
    if (this.lingerTimer) clearTimeout(this.lingerTimer);
    this.lingerTimer = null;
    if (!this.off) {
      this.off = followEvents(['metrics', 'alerts'], {
        onEvent: (event) => {
          if (event.topic === 'metrics') this.take(event.data);
          if (event.topic === 'alerts' && this.model.ingestAlerts(event.data)) {
            this.crashLoops = this.model.crashLoops;
          }
        },
      });
      void this.loadHistory();
    }
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.users--;
      if (this.users > 0) return;
      this.lingerTimer = setTimeout(() => {
        this.off?.();
        this.off = null;
        this.lingerTimer = null;
      }, LINGER_MS);
    };
  }

  private async loadHistory(): Promise<void> {
    try {
      const history = await api.metrics.history();
      this.model.seedHost(history.host);
      this.hostColumns = this.model.host.columns();
      this.memoryTotalBytes = this.model.memoryTotalBytes;
    } catch {
      // No history (older server, engine away): the charts fill from the live ticks.
    }
  }

  private take(data: unknown): void {
    const tick = this.model.ingest(data);
    if (!tick) return;
    this.hostColumns = this.model.host.columns();
    this.memoryTotalBytes = this.model.memoryTotalBytes;
    this.containers = this.model.containers;
    this.lastTickAt = tick.at;
  }
}

export const metricsStore = new MetricsStore();
