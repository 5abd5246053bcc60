/**
 * The supervisor as the Workers page reads it: who supervises (the lease holder) and its latest
 * events, read every few seconds while the page is open. One reader for the Supervisor card
 * (recent actions) and each pool's autoscale card (its decisions).
 */
import { api, apiErrorOf, type ApiErrorData, type ApiOutputs } from '../api/client';
import type { SupervisorEventView } from './supervisor-text';

const REFRESH_MS = 5_000;
/** Enough for the card's recent actions and every pool's last decisions. */
const EVENTS_READ = 100;

export class SupervisorFeed {
  status = $state.raw<ApiOutputs['supervisor']['status'] | null>(null);
  /** Oldest first, as the API gives them. */
  events = $state.raw<SupervisorEventView[]>([]);
  error = $state.raw<ApiErrorData | null>(null);

  async refresh(): Promise<void> {
    try {
      const [status, events] = await Promise.all([
        api.supervisor.status(),
        api.supervisor.events({ limit: EVENTS_READ }),
      ]);
      this.status = status;
      this.events = events;
      this.error = null;
    } catch (err) {
      this.error = apiErrorOf(err);
    }
  }

  /** Reads now and every few seconds; returns the stop (for an $effect). */
  start(): () => void {
    void this.refresh();
    const timer = setInterval(() => void this.refresh(), REFRESH_MS);
    return () => clearInterval(timer);
  }
}
