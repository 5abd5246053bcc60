/**
 * The alert rules' journal as the console sees it (active and recent alerts, webhook
 * deliveries): read once through `alerts.list`, then kept current by the 'alerts' topic, which
 * carries the journal whenever it changes. Followed for the whole session: the banner shows on
 * every page.
 */
import { alertsViewSchema, type AlertsView } from '@shared/schemas/alerts';
import { api } from '../api/client';
import { followEvents } from '../shell/event-stream';

class AlertsStore {
  journal = $state.raw<AlertsView | null>(null);
  private off: (() => void) | null = null;

  /** Starts following; the returned function stops. */
  start(): () => void {
    if (!this.off) {
      void this.refresh();
      this.off = followEvents(['alerts'], {
        onEvent: (event) => {
          if (event.topic !== 'alerts') return;
          const parsed = alertsViewSchema.safeParse((event.data as { journal?: unknown }).journal);
          if (parsed.success) this.journal = parsed.data;
        },
      });
    }
    return () => {
      this.off?.();
      this.off = null;
    };
  }

  async refresh(): Promise<void> {
    try {
      this.journal = await api.alerts.list();
    } catch {
      // the stream brings it when the core answers again
    }
  }
}

export const alertsStore = new AlertsStore();
