/**
 * Queues, worker heartbeats and Redis health (`queues.overview`), refreshed every 2 s while a
 * page shows them — there is no event for these — and only while Redis runs. Each reading also
 * yields completed and failed jobs per second, from the change in the workers' counters; when
 * polling starts, the throughput the server kept from earlier readings (`metrics.history`) is
 * put in front, so the chart shows the last minutes at once.
 */
import { api, apiErrorOf, type ApiErrorData, type ApiOutputs } from '../api/client';
import { seedSeries, TimeSeriesBuffer, type Columns } from '../charts/series';
import { clusterStore } from '../cluster/cluster-store.svelte';
import { throughputBetween, workerCountsOf } from './metrics-tick';

export type QueuesOverview = ApiOutputs['queues']['overview'];
export type WorkerView = QueuesOverview['workers'][number];

export const OVERVIEW_POLL_MS = 2_000;
/** Throughput points kept: five minutes at one per 2 s. */
export const THROUGHPUT_POINTS = 150;
export const THROUGHPUT_SERIES = { completed: 0, failed: 1 } as const;
/** Readings further apart than this (nobody looked) show as a break in the line. */
export const THROUGHPUT_GAP_MS = 3 * OVERVIEW_POLL_MS;

class OverviewStore {
  overview = $state.raw<QueuesOverview | null>(null);
  error = $state.raw<ApiErrorData | null>(null);
  private readonly throughput = new TimeSeriesBuffer(THROUGHPUT_POINTS, 2);
  throughputColumns = $state.raw<Columns>(this.throughput.columns());
  private users = 0;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private inFlight = false;
  /** Bumped when polling stops, so a reading in flight does not schedule another. */
  private generation = 0;

  /** Polls while the caller shows the overview; call the returned function when done. */
  acquire(): () => void {
    this.users++;
    if (this.users === 1) {
      void this.poll(++this.generation);
      void this.loadHistory();
    }
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.users--;
      if (this.users > 0) return;
      this.generation++;
      if (this.timer) clearTimeout(this.timer);
      this.timer = null;
    };
  }

  private async loadHistory(): Promise<void> {
    try {
      const { throughput } = await api.metrics.history();
      seedSeries(
        this.throughput,
        throughput.map((p) => ({ at: p.at, values: [p.completedPerSec, p.failedPerSec] })),
        THROUGHPUT_GAP_MS,
      );
      this.throughputColumns = this.throughput.columns();
    } catch {
      // No history (engine away, older server): the chart fills from the live readings.
    }
  }

  /** Reads now (e.g. right after an action), outside the regular rhythm. */
  async refresh(): Promise<void> {
    if (this.inFlight) return;
    this.inFlight = true;
    try {
      const redisUp = clusterStore.status?.redis?.state === 'running';
      if (!redisUp) {
        this.overview = null;
        this.error = null;
        return;
      }
      const next = await api.queues.overview();
      const previous = this.overview;
      if (previous && next.at > previous.at) {
        const rate = throughputBetween(
          workerCountsOf(previous.workers),
          workerCountsOf(next.workers),
          (next.at - previous.at) / 1000,
        );
        this.throughput.push(next.at, [rate.completedPerSec, rate.failedPerSec]);
        this.throughputColumns = this.throughput.columns();
      }
      this.overview = next;
      this.error = null;
    } catch (err) {
      this.error = apiErrorOf(err);
    } finally {
      this.inFlight = false;
    }
  }

  private async poll(generation: number): Promise<void> {
    await this.refresh();
    if (generation !== this.generation || this.users === 0) return;
    this.timer = setTimeout(() => void this.poll(generation), OVERVIEW_POLL_MS);
  }
}

export const overviewStore = new OverviewStore();

/** Jobs waiting, active and failed summed over every queue. */
export function jobTotals(overview: QueuesOverview | null): {
  waiting: number;
  active: number;
  failed: number;
} {
  const totals = { waiting: 0, active: 0, failed: 0 };
  for (const queue of overview?.queues ?? []) {
    totals.waiting += queue.counts.waiting + queue.counts.prioritized;
    totals.active += queue.counts.active;
    totals.failed += queue.counts.failed;
  }
  return totals;
}
