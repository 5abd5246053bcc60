/**
 * De-duplication of alerts: given every condition holding on a tick, says which are new (raise
 * them once) and which of the active ones stopped holding (one "resolved" each). A condition
 * that keeps holding is neither. Pure and clock-free; its state is a plain list of records so
 * the journal can keep it across restarts of the supervising process.
 *
 *   const tracker = new AlertTracker(journal.active);
 *   const { raised, resolved } = tracker.update(conditions, now);
 */
import type { AlertCondition, AlertRecord } from './alert-record';

/** Resolved alerts kept for `guildhall alerts` and the console. */
export const RECENT_ALERTS = 50;

export interface TrackerUpdate {
  raised: AlertRecord[];
  resolved: AlertRecord[];
}

export class AlertTracker {
  private readonly activeById = new Map<string, AlertRecord>();
  private recentList: AlertRecord[];

  constructor(active: readonly AlertRecord[] = [], recent: readonly AlertRecord[] = []) {
    for (const record of active) this.activeById.set(record.id, record);
    this.recentList = recent.slice(0, RECENT_ALERTS);
  }

  /**
   * `conditions`: every condition holding now. `judged`: the ids of conditions this tick could
   * judge — an active alert whose facts could not be read this tick (say Redis did not answer)
   * stays active rather than resolving on missing facts. Undefined: every one was judged.
   */
  update(
    conditions: readonly AlertCondition[],
    now: number,
    judged?: (id: string) => boolean,
  ): TrackerUpdate {
    const update: TrackerUpdate = { raised: [], resolved: [] };
    const holding = new Map(conditions.map((c) => [c.id, c]));
    for (const [id, record] of [...this.activeById]) {
      if (holding.has(id)) {
        // Still holding: the message and figures follow the facts, nothing is sent again.
        const current = holding.get(id)!;
        this.activeById.set(id, { ...record, message: current.message, detail: current.detail });
        continue;
      }
      if (judged && !judged(id)) continue;
      this.activeById.delete(id);
      const resolved = { ...record, resolvedAt: now };
      update.resolved.push(resolved);
      this.recentList = [resolved, ...this.recentList].slice(0, RECENT_ALERTS);
    }
    for (const condition of conditions) {
      if (this.activeById.has(condition.id)) continue;
      const record: AlertRecord = { ...condition, raisedAt: now, resolvedAt: null };
      this.activeById.set(condition.id, record);
      update.raised.push(record);
    }
    return update;
  }

  active(): AlertRecord[] {
    return [...this.activeById.values()].sort((a, b) => a.raisedAt - b.raisedAt);
  }

  recent(): AlertRecord[] {
    return [...this.recentList];
  }
}
