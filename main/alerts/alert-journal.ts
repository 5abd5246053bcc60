/**
 * The alerts' shared record, `alerts.json` in the settings folder: the alerts active now and
 * recently resolved, and the last delivery to each webhook. The supervising process writes it
 * on each tick; every face reads it (the console's banner, `guildhall alerts`, the desktop
 * notifications), whichever process supervises. Updates run under a lock file, so a test send
 * from the CLI and a tick in the app never lose each other's writes. It holds no URL.
 */
import path from 'node:path';
import { withFileLock } from '../audit/file-lock';
import { readFileIfExists, writeFileAtomic } from '../settings/atomic-file';
import type { AlertsState, WebhookDelivery } from './alert-record';

export const ALERTS_FILE = 'alerts.json';

export function emptyAlertsState(): AlertsState {
  return { active: [], recent: [], deliveries: [], evaluatedAt: null };
}

function parseState(text: string | null): AlertsState {
  if (!text) return emptyAlertsState();
  try {
    const raw = JSON.parse(text) as Partial<AlertsState>;
    return {
      active: Array.isArray(raw.active) ? raw.active : [],
      recent: Array.isArray(raw.recent) ? raw.recent : [],
      deliveries: Array.isArray(raw.deliveries) ? raw.deliveries : [],
      evaluatedAt: typeof raw.evaluatedAt === 'number' ? raw.evaluatedAt : null,
    };
  } catch {
    // A torn or hand-edited file: start again rather than stop alerting.
    return emptyAlertsState();
  }
}

/** The delivery line of a webhook after one more message, its streak and last success carried on. */
export function nextDelivery(
  previous: WebhookDelivery | undefined,
  sent: Omit<WebhookDelivery, 'failuresInRow' | 'lastDeliveredAt'>,
): WebhookDelivery {
  return {
    ...sent,
    failuresInRow: sent.ok ? 0 : (previous?.failuresInRow ?? 0) + 1,
    lastDeliveredAt: sent.ok ? sent.at : (previous?.lastDeliveredAt ?? null),
  };
}

export class AlertJournal {
  readonly file: string;

  constructor(dir: string) {
    this.file = path.join(dir, ALERTS_FILE);
  }

  async read(): Promise<AlertsState> {
    return parseState(await readFileIfExists(this.file));
  }

  /** Reads, changes and writes the state under the lock; returns what was written. */
  async update(change: (state: AlertsState) => AlertsState): Promise<AlertsState> {
    return withFileLock(`${this.file}.lock`, async () => {
      const next = change(await this.read());
      await writeFileAtomic(this.file, `${JSON.stringify(next, null, 1)}\n`, 0o600);
      return next;
    });
  }

  /** Records a message sent (or not) to a webhook. */
  async recordDelivery(
    sent: Omit<WebhookDelivery, 'failuresInRow' | 'lastDeliveredAt'>,
  ): Promise<WebhookDelivery> {
    let line: WebhookDelivery | undefined;
    await this.update((state) => {
      const previous = state.deliveries.find((d) => d.webhook === sent.webhook);
      line = nextDelivery(previous, sent);
      const others = state.deliveries.filter((d) => d.webhook !== sent.webhook);
      return {
        ...state,
        deliveries: [...others, line].sort((a, b) => a.webhook.localeCompare(b.webhook)),
      };
    });
    return line!;
  }
}
