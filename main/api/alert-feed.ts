/**
 * The process's alerts on the event hub. Two sources, one topic ('alerts'): the process's one
 * alert monitor, fed every cluster status the API reads (and the desktop shell's tray polls),
 * whose active alerts mark crash-looping workers; and the alert rules' journal
 * (main/alerts/alert-journal.ts), written by whichever process supervises, whose active and
 * recent alerts and webhook deliveries drive the console's banner and Alerts page. Raised
 * monitor alerts also go out as activity-log warnings. A new 'alerts' subscriber is told what is
 * active at once. The journal is read every JOURNAL_POLL_MS while anyone listens (a subscriber,
 * or the desktop shell's notifications through onJournalRaised).
 */
import type { AlertRecord, AlertsState } from '../alerts/alert-record';
import type { ClusterStatus } from '../cluster/status';
import { AlertMonitor, workerSamples } from '../monitor/alerts';
import type { ApiEventHub } from './api-events';

export const JOURNAL_POLL_MS = 2_000;

export interface JournalSource {
  read(): Promise<AlertsState>;
}

export class AlertFeed {
  readonly monitor: AlertMonitor;
  private subscribers = 0;
  private readonly off: () => void;
  private journal: AlertsState | null = null;
  private journalText = '';
  private timer: NodeJS.Timeout | null = null;
  private reading = false;
  /** Active journal alerts already told to onJournalRaised listeners. */
  private known: Set<string> | null = null;
  private readonly raisedListeners = new Set<(alert: AlertRecord) => void>();

  constructor(
    private readonly hub: ApiEventHub,
    monitor: AlertMonitor = new AlertMonitor(),
    private readonly journalSource: JournalSource | null = null,
  ) {
    this.monitor = monitor;
    this.off = monitor.onChange(({ raised }) => {
      for (const alert of raised) hub.publish('log', { level: 'warn', message: alert.message });
      this.publish();
    });
  }

  /** Feeds a status's workers to the monitor (queues are fed by the tray's polls). */
  observe(status: ClusterStatus): void {
    this.monitor.evaluate({
      at: Date.now(),
      workers: workerSamples(status.workers),
      queues: null,
    });
  }

  /**
   * Told of each alert the rules raise from now on (not those active when it was added): the
   * desktop shell's notifications. Returns the unsubscribe.
   */
  onJournalRaised(listener: (alert: AlertRecord) => void): () => void {
    this.raisedListeners.add(listener);
    this.follow();
    return () => {
      this.raisedListeners.delete(listener);
      this.follow();
    };
  }

  /** Follows the topic's listener count; true while anyone listens. */
  setSubscribers(count: number): boolean {
    // The hub holds only unheard events: a new subscriber learns what is active now.
    if (count > this.subscribers) this.publish();
    this.subscribers = count;
    this.follow();
    return count > 0;
  }

  /** Reads the journal now (and publishes it when it changed). */
  async refresh(): Promise<void> {
    if (!this.journalSource || this.reading) return;
    this.reading = true;
    try {
      const state = await this.journalSource.read();
      const text = JSON.stringify(state);
      if (text === this.journalText) return;
      this.journalText = text;
      this.journal = state;
      this.tellRaised(state);
      if (this.subscribers > 0) this.publish();
    } catch {
      // unreadable for now: the next poll tries again
    } finally {
      this.reading = false;
    }
  }

  stop(): void {
    this.off();
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  private publish(): void {
    this.hub.publish('alerts', {
      active: this.monitor.active(),
      ...(this.journal ? { journal: this.journal } : {}),
    });
  }

  private tellRaised(state: AlertsState): void {
    const ids = new Set(state.active.map((alert) => `${alert.id}@${alert.raisedAt}`));
    const known = this.known;
    this.known = ids;
    if (!known) return;
    for (const alert of state.active) {
      if (known.has(`${alert.id}@${alert.raisedAt}`)) continue;
      for (const listener of this.raisedListeners) {
        try {
          listener(alert);
        } catch {
          // a listener's failure is its own
        }
      }
    }
  }

  private follow(): void {
    const wanted =
      this.journalSource !== null && (this.subscribers > 0 || this.raisedListeners.size > 0);
    if (wanted && !this.timer) {
      void this.refresh();
      this.timer = setInterval(() => void this.refresh(), JOURNAL_POLL_MS);
      this.timer.unref();
    } else if (!wanted && this.timer) {
      clearInterval(this.timer);
      this.timer = null;
    }
  }
}
