/**
 * The process's one alert monitor on the event hub: fed every cluster status the API reads (and
 * the desktop shell's tray polls), its active alerts go out on the 'alerts' topic, raised ones
 * also as activity-log warnings. A new 'alerts' subscriber is told what is active at once.
 */
import type { ClusterStatus } from '../cluster/status';
import { AlertMonitor } from '../monitor/alerts';
import type { ApiEventHub } from './api-events';

export class AlertFeed {
  readonly monitor: AlertMonitor;
  private subscribers = 0;
  private readonly off: () => void;

  constructor(
    private readonly hub: ApiEventHub,
    monitor: AlertMonitor = new AlertMonitor(),
  ) {
    this.monitor = monitor;
    this.off = monitor.onChange(({ raised, active }) => {
      for (const alert of raised) hub.publish('log', { level: 'warn', message: alert.message });
      hub.publish('alerts', { active });
    });
  }

  /** Feeds a status's workers to the monitor (queues are fed by the tray's polls). */
  observe(status: ClusterStatus): void {
    this.monitor.evaluate({
      at: Date.now(),
      workers: status.workers.map((w) => ({
        name: w.name,
        id: w.id,
        restartCount: w.restartCount,
        state: w.state,
        exitCode: w.exitCode,
        oomKilled: w.oomKilled,
      })),
      queues: null,
    });
  }

  /** Follows the topic's listener count; true while anyone listens. */
  setSubscribers(count: number): boolean {
    // The hub holds only unheard events: a new subscriber learns what is active now.
    if (count > this.subscribers) this.hub.publish('alerts', { active: this.monitor.active() });
    this.subscribers = count;
    return count > 0;
  }

  stop(): void {
    this.off();
  }
}
