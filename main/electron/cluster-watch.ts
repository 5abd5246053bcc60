/**
 * Keeps the desktop shell's picture of the cluster fresh and runs the tray's cluster actions.
 * Polls the core every few seconds (cluster status, queue pause states and failure counts,
 * app preferences), feeds the alert monitor, and tells listeners. No Electron import: the
 * Electron wiring (tray.ts, index.ts) only listens and calls `run`.
 *
 *   const watch = new ClusterWatch({ core });
 *   watch.onView((view) => tray.render(view));
 *   watch.onAlert((alert) => notify(alert));
 *   watch.start();
 *   await watch.run('add-worker');            // the default pool
 *   await watch.run('add-worker', 'tools');   // one pool
 */
import type { Core } from '../core';
import { EXTERNAL_REDIS_ID, type ClusterStatus } from '../cluster/status';
import { AlertMonitor, workerSamples, type Alert, type AlertThresholds } from '../monitor/alerts';
import { QueuesService, type QueuesServiceOptions } from '../queues/queues-service';
import type { QueueSummary } from '../queues/queue-types';
import { DEFAULT_POOL } from '../settings/pool-spec';
import type { AppPreferences } from '../settings/settings-schema';
import { toGuildhallError, type SerializedError } from '../util/errors';
import type { ProgressSink } from '../util/progress';
import { resolveTrayLanguage } from './tray-messages';
import type { TrayAction, TrayBusy, TrayPhase, TrayPool, TrayState } from './tray-model';

export interface ClusterView {
  phase: TrayPhase;
  busy: TrayBusy | null;
  status: ClusterStatus | null;
  workers: { running: number; desired: number };
  /** Each pool's running and wanted containers, the default pool first. */
  pools: readonly TrayPool[];
  queues: { total: number; paused: number } | null;
  /** Why the status could not be read (engine missing, settings invalid, …). */
  error: SerializedError | null;
  /** App preferences as last read; null before the first read. */
  prefs: AppPreferences | null;
}

/** The part of QueuesService the watch uses. */
export type QueuesAccess = Pick<
  QueuesService,
  'listQueues' | 'pauseQueue' | 'resumeQueue' | 'close'
>;

export type RedisConnection = QueuesServiceOptions['connection'];

export interface ClusterWatchOptions {
  core: Pick<Core, 'cluster' | 'settings'>;
  /** Time between polls (default 4 s). */
  intervalMs?: number;
  openQueues?: (connection: RedisConnection, cluster: string) => QueuesAccess;
  alertThresholds?: Partial<AlertThresholds>;
  /**
   * The process's alert monitor, shared with the API services so the tray and the console see
   * one set of alerts (default: a new one with alertThresholds).
   */
  alerts?: AlertMonitor;
  now?: () => number;
  /**
   * Runs a cluster operation; lets the app route tray actions through the API's one-at-a-time
   * operation queue so the console sees their progress. Default: run it directly.
   */
  operation?: <T>(name: string, run: (onProgress: ProgressSink) => Promise<T>) => Promise<T>;
  /** Told every status read, e.g. to pass it on to the API's event hub. */
  onStatus?: (status: ClusterStatus) => void;
}

/** Cluster actions the watch runs (the rest of TrayAction belongs to the window and the app). */
export type ClusterAction = Extract<
  TrayAction,
  'start' | 'stop' | 'add-worker' | 'remove-worker' | 'pause-all' | 'resume-all'
>;

const BUSY_OF: Record<ClusterAction, TrayBusy> = {
  start: 'start',
  stop: 'stop',
  'add-worker': 'scale',
  'remove-worker': 'scale',
  'pause-all': 'pause',
  'resume-all': 'resume',
};

export function isClusterAction(action: TrayAction): action is ClusterAction {
  return action in BUSY_OF;
}

const INITIAL_VIEW: ClusterView = {
  phase: 'checking',
  busy: null,
  status: null,
  workers: { running: 0, desired: 0 },
  pools: [],
  queues: null,
  error: null,
  prefs: null,
};

/** The tray's state for a view, in the language of the settings or else of the OS. */
export function trayStateOf(view: ClusterView, osLocale: string): TrayState {
  return {
    phase: view.phase,
    busy: view.busy,
    workers: view.workers,
    pools: view.pools,
    queues: view.queues,
    language: resolveTrayLanguage(view.prefs?.language ?? 'system', osLocale),
  };
}

/** Engine problems show as "no engine"; anything else as a status error. */
export function phaseOfError(error: SerializedError): TrayPhase {
  return error.code.startsWith('engine-') ? 'no-engine' : 'error';
}

export class ClusterWatch {
  private view: ClusterView = INITIAL_VIEW;
  private readonly viewListeners = new Set<(view: ClusterView) => void>();
  private readonly alertListeners = new Set<(alert: Alert) => void>();
  private readonly alerts: AlertMonitor;
  private readonly intervalMs: number;
  private readonly now: () => number;
  private readonly openQueues: (connection: RedisConnection, cluster: string) => QueuesAccess;
  private queues: { key: string; access: QueuesAccess } | null = null;
  private timer: NodeJS.Timeout | null = null;
  private polling: Promise<ClusterView> | null = null;
  private action: Promise<void> | null = null;
  private stopped = true;
  private offAlerts: (() => void) | null = null;

  constructor(private readonly options: ClusterWatchOptions) {
    this.alerts = options.alerts ?? new AlertMonitor(options.alertThresholds);
    this.intervalMs = options.intervalMs ?? 4_000;
    this.now = options.now ?? Date.now;
    this.openQueues =
      options.openQueues ??
      ((connection, cluster) =>
        new QueuesService({ connection, cluster, commandTimeoutMs: 5_000 }));
  }

  get current(): ClusterView {
    return this.view;
  }

  onView(listener: (view: ClusterView) => void): () => void {
    this.viewListeners.add(listener);
    return () => this.viewListeners.delete(listener);
  }

  onAlert(listener: (alert: Alert) => void): () => void {
    this.alertListeners.add(listener);
    return () => this.alertListeners.delete(listener);
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    // Raised by whoever fed the shared monitor: these polls or the API's status reads.
    this.offAlerts = this.alerts.onChange(({ raised }) => raised.forEach((a) => this.emitAlert(a)));
    void this.tick();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.offAlerts?.();
    this.offAlerts = null;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.polling?.catch(() => undefined);
    await this.closeQueues();
  }

  /** Resolves when no action is running (at once when idle). */
  async idle(): Promise<void> {
    await this.action?.catch(() => undefined);
  }

  /** Polls now (joining a poll already under way) and returns the new view. */
  refresh(): Promise<ClusterView> {
    this.polling ??= this.poll().finally(() => {
      this.polling = null;
    });
    return this.polling;
  }

  /**
   * Runs a cluster action, marking the view busy meanwhile; `pool` is the pool a worker action
   * scales (default: the default pool). Resolves false when another action is still running
   * (nothing is done); rejects with a GuildhallError when the action fails.
   */
  async run(action: ClusterAction, pool?: string): Promise<boolean> {
    if (this.view.busy !== null) return false;
    this.publish({ ...this.view, busy: BUSY_OF[action] });
    this.action = this.perform(action, pool);
    try {
      await this.action;
      return true;
    } catch (err) {
      throw toGuildhallError(err);
    } finally {
      this.action = null;
      this.view = { ...this.view, busy: null };
      // A poll that began during the action may hold the old state: wait for it, poll anew.
      await this.polling?.catch(() => undefined);
      await this.refresh().catch(() => undefined);
    }
  }

  private async perform(action: ClusterAction, pool?: string): Promise<void> {
    const { cluster } = this.options.core;
    const operation =
      this.options.operation ??
      (<T>(_name: string, run: (onProgress: ProgressSink) => Promise<T>) => run(() => {}));
    switch (action) {
      case 'start':
        await operation('cluster.up', (onProgress) => cluster.up({ onProgress }));
        return;
      case 'stop':
        await operation('cluster.down', (onProgress) => cluster.down({ onProgress }));
        this.alerts.reset();
        await this.closeQueues();
        return;
      case 'add-worker':
      case 'remove-worker': {
        await operation('cluster.scale', async (onProgress) => {
          // The settings hold the wanted count (the console may have changed it since the poll).
          const { spec } = await cluster.spec();
          const isDefault = pool === undefined || pool === DEFAULT_POOL;
          // An unknown pool counts 0 here: scale then refuses it, naming the pools.
          const desired = isDefault ? spec.workers.replicas : (spec.pools[pool]?.replicas ?? 0);
          const next = action === 'add-worker' ? desired + 1 : desired - 1;
          return cluster.scale(Math.max(0, next), { pool, onProgress });
        });
        return;
      }
      case 'pause-all':
      case 'resume-all': {
        const pause = action === 'pause-all';
        await operation(pause ? 'queues.pauseAll' : 'queues.resumeAll', async () => {
          const access = await this.queuesFor(this.view.status);
          if (!access) return;
          for (const queue of await access.listQueues()) {
            if (pause && !queue.isPaused) await access.pauseQueue(queue.name);
            if (!pause && queue.isPaused) await access.resumeQueue(queue.name);
          }
        });
        return;
      }
    }
  }

  private async tick(): Promise<void> {
    if (this.stopped) return;
    await this.refresh().catch(() => undefined);
    if (this.stopped) return;
    this.timer = setTimeout(() => void this.tick(), this.intervalMs);
    this.timer.unref?.();
  }

  private async poll(): Promise<ClusterView> {
    const { cluster } = this.options.core;
    let status: ClusterStatus | null = null;
    let error: SerializedError | null = null;
    try {
      // First, so that on a first run the core creates the settings (it picks a free port).
      status = await cluster.status();
    } catch (err) {
      error = toGuildhallError(err).toJSON();
    }
    if (status) {
      try {
        this.options.onStatus?.(status);
      } catch {}
    }
    const prefs = await this.readPrefs();

    let summaries: QueueSummary[] | null = null;
    if (status && (status.state === 'running' || status.state === 'degraded')) {
      summaries = await this.queuesFor(status)
        .then((access) => access?.listQueues() ?? null)
        .catch(() => null);
    } else if (status) {
      await this.closeQueues();
    }

    if (status) {
      const sample = {
        at: this.now(),
        workers: workerSamples(status.workers),
        queues: summaries?.map((q) => ({ name: q.name, failed: q.counts.failed ?? 0 })) ?? null,
      };
      this.alerts.evaluate(sample);
    }

    const view: ClusterView = {
      phase: status ? status.state : error ? phaseOfError(error) : 'error',
      busy: this.view.busy,
      status,
      workers: status
        ? {
            running: status.workers.filter((w) => w.state === 'running').length,
            desired: status.desiredWorkers,
          }
        : this.view.workers,
      pools: status
        ? status.pools.map((p) => ({ name: p.name, running: p.running, desired: p.desired }))
        : this.view.pools,
      queues: summaries
        ? { total: summaries.length, paused: summaries.filter((q) => q.isPaused).length }
        : null,
      error,
      prefs,
    };
    this.publish(view);
    return view;
  }

  private async readPrefs(): Promise<AppPreferences | null> {
    const { settings } = this.options.core;
    try {
      if (!(await settings.exists())) return this.view.prefs;
      return (await settings.load()).settings.app;
    } catch {
      return this.view.prefs;
    }
  }

  /** The queues connection for a serving cluster, reopened when its port changes. */
  private async queuesFor(status: ClusterStatus | null): Promise<QueuesAccess | null> {
    const port = status?.redis?.port;
    const external = status?.redis?.id === EXTERNAL_REDIS_ID;
    if (!status || (!port && !external)) return null;
    const key = `${status.cluster}@${external ? 'external' : port}`;
    if (this.queues?.key === key) return this.queues.access;
    await this.closeQueues();
    const connection = external
      ? await this.options.core.cluster.redisConnection()
      : {
          host: '127.0.0.1',
          port: port ?? 0,
          password: await this.options.core.cluster.password(status.cluster),
        };
    const access = this.openQueues(connection, status.cluster);
    this.queues = { key, access };
    return access;
  }

  private async closeQueues(): Promise<void> {
    const open = this.queues;
    this.queues = null;
    await open?.access.close().catch(() => undefined);
  }

  private publish(view: ClusterView): void {
    this.view = view;
    for (const listener of this.viewListeners) {
      try {
        listener(view);
      } catch {
        // A failing listener must not stop the others or the polling.
      }
    }
  }

  private emitAlert(alert: Alert): void {
    for (const listener of this.alertListeners) {
      try {
        listener(alert);
      } catch {}
    }
  }
}
