/**
 * Spots what deserves a desktop notification or a console banner in successive cluster samples:
 * a worker that keeps crashing (CRASH_LOOP: its crash count rising, or exiting with a crash's
 * exit code, several times within the window; planned reloads are not crashes) and a queue whose
 * failures spike (many new failed jobs in the last minute, and a large share of the jobs it
 * finished). Pure and clock-free — each sample carries its time. CRASH_LOOP is the one
 * crash-loop rule: diagnostics asks isCrashLoop, and each process runs one AlertMonitor (the
 * API services' one), whose alerts reach the console as events.
 *
 *   const alerts = new AlertMonitor();
 *   alerts.onChange(({ raised }) => raised.forEach(notify));
 *   for each poll: const { raised, cleared } = alerts.evaluate(sample);
 *   (or: for (const alert of alerts.observe(sample)) notify(alert))
 *
 * The first sample of a worker or queue is its baseline: restarts and failures from before the
 * app was watching never alert. An alert is raised once and not again while it is active; it
 * clears when its cause is gone (no crash for a whole window; failures back under the
 * threshold; the worker or queue gone), and may then be raised anew.
 */

import { isPlannedWorkerExit } from '@shared/worker-contract';

/**
 * The one crash-loop rule: a worker that crashed this many times within the window (exits to
 * reload changed processor files and stops on purpose are not crashes). Ten minutes covers the
 * engine's restart back-off, which grows to a minute between restarts.
 */
export const CRASH_LOOP = { crashes: 3, windowMs: 10 * 60_000 } as const;

/** Whether crashes at these times (epoch ms) make a crash loop at `now`. */
export function isCrashLoop(crashTimes: readonly number[], now: number): boolean {
  return crashTimes.filter((at) => at > now - CRASH_LOOP.windowMs).length >= CRASH_LOOP.crashes;
}

export interface WorkerSample {
  /** Container name, e.g. guildhall-worker-2 (stable across re-creation). */
  name: string;
  /** Container id, when known: a new id under the same name is a new container. */
  id?: string;
  /** Restarts that were crashes (the cluster status leaves planned reloads out). */
  restartCount: number;
  /** Engine state: running, restarting, exited, dead, … */
  state: string;
  /** Exit code of the last run; null when it never exited. */
  exitCode: number | null;
  /** The last run was killed for exceeding its memory limit. */
  oomKilled?: boolean;
}

/** The monitor's view of the cluster status's containers (every face feeds it the same way). */
type WorkerFacts = Required<
  Pick<WorkerSample, 'name' | 'id' | 'restartCount' | 'state' | 'exitCode' | 'oomKilled'>
>;

export function workerSamples(workers: readonly WorkerFacts[]): WorkerSample[] {
  return workers.map((w) => ({
    name: w.name,
    id: w.id,
    restartCount: w.restartCount,
    state: w.state,
    exitCode: w.exitCode,
    oomKilled: w.oomKilled,
  }));
}

export interface QueueSample {
  name: string;
  /**
   * Failed jobs so far: best a running total (BullMQ metrics), else the failed set's size. A
   * smaller value than before (jobs retried or cleaned) starts a new baseline.
   */
  failed: number;
  /** Completed jobs so far, counted like `failed`. When given, a spike also needs failures to be a large share. */
  completed?: number;
}

export interface MonitorSample {
  /** Milliseconds since the epoch. */
  at: number;
  workers: WorkerSample[];
  /** Null when the queues could not be read (Redis not reachable): queue baselines are kept. */
  queues: QueueSample[] | null;
}

interface AlertBase {
  /** Stable per cause, e.g. "worker-crash-loop:guildhall-worker-2": the key for de-duplication. */
  id: string;
  /** What the alert is about: the worker or queue name. */
  subject: string;
  /** A user-readable sentence. */
  message: string;
  raisedAt: number;
}

export interface WorkerCrashLoopAlert extends AlertBase {
  kind: 'worker-crash-loop';
  worker: string;
  /** Crashes seen inside the window. */
  restarts: number;
  windowMs: number;
  lastExitCode: number | null;
  oomKilled: boolean;
}

export interface QueueFailureSpikeAlert extends AlertBase {
  kind: 'queue-failure-spike';
  queue: string;
  /** New failed jobs inside the window. */
  failures: number;
  /** New completed jobs inside the window; null when completions are not reported. */
  completed: number | null;
  windowMs: number;
}

export type Alert = WorkerCrashLoopAlert | QueueFailureSpikeAlert;
export type AlertKind = Alert['kind'];

export interface AlertThresholds {
  /** Crashes of one worker within `crashLoopWindowMs` that make a crash loop. */
  crashLoopRestarts: number;
  crashLoopWindowMs: number;
  /** New failed jobs in one queue within `failureSpikeWindowMs` that make a spike. */
  failureSpikeCount: number;
  failureSpikeWindowMs: number;
  /** With completions reported: the least share of finished jobs that failed (0–1) for a spike. */
  failureSpikeShare: number;
  /** Least time between two raises of the same alert, even if it cleared in between (0: none). */
  cooldownMs: number;
}

export const DEFAULT_ALERT_THRESHOLDS: AlertThresholds = {
  crashLoopRestarts: CRASH_LOOP.crashes,
  crashLoopWindowMs: CRASH_LOOP.windowMs,
  failureSpikeCount: 10,
  failureSpikeWindowMs: 60_000,
  failureSpikeShare: 0.25,
  cooldownMs: 0,
};

export interface AlertUpdate {
  /** Alerts that became active with this sample. */
  raised: Alert[];
  /** Alerts that were active and cleared with this sample. */
  cleared: Alert[];
  /** Every alert active after this sample. */
  active: Alert[];
}

interface TimedCount {
  at: number;
  count: number;
}

interface WorkerMemory {
  id: string | undefined;
  restartCount: number;
  exited: boolean;
  /** Crashes counted from an observed exit that the restart count has not caught up with. */
  exitCredit: number;
  crashes: TimedCount[];
}

interface QueueMemory {
  failed: number;
  completed: number | undefined;
  failures: TimedCount[];
  completions: TimedCount[];
}

export function isFailedExit(worker: Pick<WorkerSample, 'state' | 'exitCode'>): boolean {
  return (
    (worker.state === 'exited' || worker.state === 'dead') &&
    worker.exitCode !== null &&
    !isPlannedWorkerExit(worker.exitCode)
  );
}

const keepAfter = (events: TimedCount[], since: number): TimedCount[] =>
  events.filter((event) => event.at > since);
const total = (events: TimedCount[]): number => events.reduce((sum, e) => sum + e.count, 0);
const minutes = (ms: number): string => {
  const m = Math.round(ms / 60_000);
  return m <= 1 ? 'minute' : `${m} minutes`;
};
const plural = (n: number, one: string, many: string): string => `${n} ${n === 1 ? one : many}`;

export class AlertMonitor {
  private readonly thresholds: AlertThresholds;
  private readonly workers = new Map<string, WorkerMemory>();
  private readonly queues = new Map<string, QueueMemory>();
  private readonly activeAlerts = new Map<string, Alert>();
  private readonly lastRaised = new Map<string, number>();
  private readonly changeListeners = new Set<(update: AlertUpdate) => void>();

  constructor(thresholds: Partial<AlertThresholds> = {}) {
    this.thresholds = { ...DEFAULT_ALERT_THRESHOLDS, ...thresholds };
  }

  /**
   * Told after every sample that raised or cleared an alert, whoever fed the sample: a process
   * with several sources of samples (status polls, tray polls) shares one monitor this way.
   */
  onChange(listener: (update: AlertUpdate) => void): () => void {
    this.changeListeners.add(listener);
    return () => this.changeListeners.delete(listener);
  }

  /** Records a sample and returns the alerts it raises (usually none). */
  observe(sample: MonitorSample): Alert[] {
    return this.evaluate(sample).raised;
  }

  /** Records a sample and returns what it raised and cleared, and what is active now. */
  evaluate(sample: MonitorSample): AlertUpdate {
    const update: AlertUpdate = { raised: [], cleared: [], active: [] };
    for (const worker of sample.workers) this.observeWorker(worker, sample.at, update);
    const workerNames = new Set(sample.workers.map((w) => w.name));
    for (const name of [...this.workers.keys()]) {
      if (workerNames.has(name)) continue;
      this.workers.delete(name);
      this.forget(crashLoopId(name), update);
    }
    if (sample.queues) {
      for (const queue of sample.queues) this.observeQueue(queue, sample.at, update);
      const queueNames = new Set(sample.queues.map((q) => q.name));
      for (const name of [...this.queues.keys()]) {
        if (queueNames.has(name)) continue;
        this.queues.delete(name);
        this.forget(failureSpikeId(name), update);
      }
    }
    update.active = this.active();
    if (update.raised.length > 0 || update.cleared.length > 0) {
      for (const listener of this.changeListeners) listener(update);
    }
    return update;
  }

  active(): Alert[] {
    return [...this.activeAlerts.values()];
  }

  /** Forgets every baseline and active alert (e.g. after the cluster was stopped on purpose). */
  reset(): void {
    const cleared = this.active();
    this.workers.clear();
    this.queues.clear();
    this.activeAlerts.clear();
    this.lastRaised.clear();
    if (cleared.length === 0) return;
    for (const listener of this.changeListeners) listener({ raised: [], cleared, active: [] });
  }

  private observeWorker(worker: WorkerSample, at: number, update: AlertUpdate): void {
    const failedExit = isFailedExit(worker);
    const memory = this.workers.get(worker.name);
    if (!memory) {
      this.workers.set(worker.name, {
        id: worker.id,
        restartCount: worker.restartCount,
        exited: failedExit,
        exitCredit: 0,
        crashes: [],
      });
      return;
    }

    let crashes = 0;
    if (failedExit && !memory.exited) {
      // Exited since the last sample; the engine may restart it later and count that restart.
      crashes += 1;
      memory.exitCredit += 1;
    }
    const recreated =
      (worker.id !== undefined && memory.id !== undefined && worker.id !== memory.id) ||
      worker.restartCount < memory.restartCount;
    if (recreated) {
      // A new container under the same name: its restart count starts again.
      memory.exitCredit = 0;
    } else if (worker.restartCount > memory.restartCount) {
      const restarts = worker.restartCount - memory.restartCount;
      const alreadyCounted = Math.min(restarts, memory.exitCredit);
      memory.exitCredit -= alreadyCounted;
      crashes += restarts - alreadyCounted;
    }
    memory.id = worker.id ?? memory.id;
    memory.restartCount = worker.restartCount;
    memory.exited = failedExit;

    const { crashLoopWindowMs, crashLoopRestarts } = this.thresholds;
    if (crashes > 0) memory.crashes.push({ at, count: crashes });
    memory.crashes = keepAfter(memory.crashes, at - crashLoopWindowMs);
    const recent = total(memory.crashes);
    const id = crashLoopId(worker.name);
    if (recent >= crashLoopRestarts) {
      const oomKilled = worker.oomKilled ?? false;
      const cause = oomKilled
        ? ', killed for running out of memory'
        : worker.exitCode !== null
          ? `, last exit code ${worker.exitCode}`
          : '';
      this.raise(
        {
          kind: 'worker-crash-loop',
          id,
          subject: worker.name,
          worker: worker.name,
          restarts: recent,
          windowMs: crashLoopWindowMs,
          lastExitCode: worker.exitCode,
          oomKilled,
          raisedAt: at,
          message: `Worker ${worker.name} crashed ${plural(recent, 'time', 'times')} in the last ${minutes(crashLoopWindowMs)}${cause}. Check its logs (guildhall logs ${worker.name}).`,
        },
        update,
      );
    } else if (recent === 0) {
      this.clear(id, update);
    }
  }

  private observeQueue(queue: QueueSample, at: number, update: AlertUpdate): void {
    const memory = this.queues.get(queue.name);
    if (!memory) {
      this.queues.set(queue.name, {
        failed: queue.failed,
        completed: queue.completed,
        failures: [],
        completions: [],
      });
      return;
    }
    // Fewer jobs than before means some were retried or removed: a new baseline, not negative work.
    const failedAdded = Math.max(0, queue.failed - memory.failed);
    const completedAdded =
      queue.completed !== undefined && memory.completed !== undefined
        ? Math.max(0, queue.completed - memory.completed)
        : 0;
    memory.failed = queue.failed;
    memory.completed = queue.completed;

    const { failureSpikeWindowMs, failureSpikeCount, failureSpikeShare } = this.thresholds;
    const since = at - failureSpikeWindowMs;
    if (failedAdded > 0) memory.failures.push({ at, count: failedAdded });
    if (completedAdded > 0) memory.completions.push({ at, count: completedAdded });
    memory.failures = keepAfter(memory.failures, since);
    memory.completions = keepAfter(memory.completions, since);
    const failures = total(memory.failures);
    const completed = queue.completed === undefined ? null : total(memory.completions);
    const share = completed === null ? 1 : failures / Math.max(1, failures + completed);
    const id = failureSpikeId(queue.name);
    if (failures >= failureSpikeCount && share >= failureSpikeShare) {
      const ofFinished =
        completed === null ? '' : ` (${Math.round(share * 100)} % of the jobs it finished)`;
      this.raise(
        {
          kind: 'queue-failure-spike',
          id,
          subject: queue.name,
          queue: queue.name,
          failures,
          completed,
          windowMs: failureSpikeWindowMs,
          raisedAt: at,
          message: `Queue "${queue.name}": ${plural(failures, 'job', 'jobs')} failed in the last ${minutes(failureSpikeWindowMs)}${ofFinished}. Open its failed jobs to see why.`,
        },
        update,
      );
    } else {
      this.clear(id, update);
    }
  }

  private raise(alert: Alert, update: AlertUpdate): void {
    if (this.activeAlerts.has(alert.id)) return;
    const last = this.lastRaised.get(alert.id);
    if (last !== undefined && alert.raisedAt - last < this.thresholds.cooldownMs) return;
    this.activeAlerts.set(alert.id, alert);
    this.lastRaised.set(alert.id, alert.raisedAt);
    update.raised.push(alert);
  }

  /** The worker or queue is gone: its alert clears and its cooldown is forgotten. */
  private forget(id: string, update: AlertUpdate): void {
    this.clear(id, update);
    this.lastRaised.delete(id);
  }

  private clear(id: string, update: AlertUpdate): void {
    const alert = this.activeAlerts.get(id);
    if (!alert) return;
    this.activeAlerts.delete(id);
    update.cleared.push(alert);
  }
}

export function crashLoopId(worker: string): string {
  return `worker-crash-loop:${worker}`;
}

export function failureSpikeId(queue: string): string {
  return `queue-failure-spike:${queue}`;
}
