/**
 * What every procedure call gets: the process-wide API services (core, event hub, queues
 * access, cluster watch, the process's one alert monitor) and the transport it came over. One
 * ApiServices lives as long as the Electron main process or the console server; contexts are
 * per connection.
 */
import { randomUUID } from 'node:crypto';
import type { ClusterStatus } from '../cluster/status';
import type { Core } from '../core';
import type { MonitorHistory } from '../monitor';
import { AlertMonitor } from '../monitor/alerts';
import type { QueuesService } from '../queues/queues-service';
import { redisPasswordKey } from '../settings/secret-store';
import { isGuildhallError } from '../util/errors';
import type { ProgressSink } from '../util/progress';
import { redact } from '../util/redact';
import { createApiEventHub, type ApiEventHub } from './api-events';
import { ClusterWatch } from './cluster-watch';
import { JobActivityWatch } from './job-activity-watch';
import type { ToApiErrorOptions } from './errors';
import { QueuesAccess } from './queues-access';
import { ThroughputHistory } from './throughput-history';

export type ApiTransport = 'ipc' | 'websocket' | 'http' | 'in-process';

export interface ApiContext {
  services: ApiServices;
  transport: ApiTransport;
}

/** An event source for metrics ticks (the monitor); subscribed only while someone listens. */
export interface MetricsSource {
  subscribe(listener: (tick: unknown) => void): () => void;
  /** What the monitor kept (it outlives its subscribers); null before it first ran. */
  history?(): MonitorHistory | null;
}

export interface ApiServicesOptions {
  core: Core;
  hub?: ApiEventHub;
  /** How often the cluster status is polled while someone listens (default 2 s). */
  clusterPollMs?: number;
  metrics?: MetricsSource;
  /** Where unexpected errors are written, already redacted (default: stderr). */
  log?: (line: string) => void;
  /** Opens a file with the system's default app (the Electron face only). */
  openPath?: (file: string) => Promise<void>;
  /** The process's alert monitor (default: a new one). */
  alerts?: AlertMonitor;
}

export class ApiServices {
  readonly core: Core;
  readonly hub: ApiEventHub;
  readonly openPath: ((file: string) => Promise<void>) | undefined;
  /** Jobs per second from the overview readings the console made, for metrics.history. */
  readonly throughput = new ThroughputHistory();
  /**
   * Issues a new browser-console token and returns the console's new URL; set by the console
   * server that serves these services (undefined elsewhere: Electron and the CLI have no token).
   */
  rotateConsoleToken: (() => string) | undefined;
  /**
   * The process's one alert monitor: fed every cluster status read here (and by the desktop
   * shell's tray polls); its active alerts go out on the 'alerts' topic, raised ones also as
   * activity-log warnings.
   */
  readonly alerts: AlertMonitor;
  private alertSubscribers = 0;
  private readonly queuesAccess: QueuesAccess;
  private readonly watch: ClusterWatch;
  private readonly jobsWatch: JobActivityWatch;
  private readonly log: (line: string) => void;
  private readonly metrics: MetricsSource | undefined;
  private metricsOff: (() => void) | null = null;
  private readonly stopListening: () => void;
  private clusterQueue: Promise<unknown> = Promise.resolve();
  private secrets: string[] = [];

  constructor(options: ApiServicesOptions) {
    this.core = options.core;
    this.hub = options.hub ?? createApiEventHub();
    this.queuesAccess = new QueuesAccess(this.core);
    this.log = options.log ?? ((line) => process.stderr.write(`${line}\n`));
    this.metrics = options.metrics;
    this.openPath = options.openPath;
    this.alerts = options.alerts ?? new AlertMonitor();
    const offAlerts = this.alerts.onChange(({ raised, active }) => {
      for (const alert of raised)
        this.hub.publish('log', { level: 'warn', message: alert.message });
      this.hub.publish('alerts', { active });
    });
    this.watch = new ClusterWatch({
      read: async () => {
        const status = await this.core.cluster.status();
        this.observeAlerts(status);
        return status;
      },
      publish: (status) => this.hub.publish('cluster-state', status),
      intervalMs: options.clusterPollMs,
    });
    this.jobsWatch = new JobActivityWatch({
      queues: () => this.queuesAccess.get(),
      // Not into the hub's buffer when nobody listens (while the watch lingers): stale for later.
      publish: (queues) => {
        if (this.hub.subscriberCount('jobs') > 0) this.hub.publish('jobs', { queues });
      },
    });
    const offSubscribers = this.hub.onSubscribersChanged(() => this.followSubscribers());
    this.stopListening = () => {
      offSubscribers();
      offAlerts();
    };
  }

  /** The metrics monitor's kept history, or null when there is none (yet). */
  metricsHistory(): MonitorHistory | null {
    return this.metrics?.history?.() ?? null;
  }

  queues(): Promise<QueuesService> {
    return this.queuesAccess.get();
  }

  /**
   * Runs a cluster operation (one at a time): its progress goes to the hub under an operation
   * id, with activity-log lines when it starts, finishes or fails.
   */
  async operation<T>(
    operation: string,
    operationId: string | undefined,
    run: (sink: ProgressSink) => Promise<T>,
  ): Promise<T> {
    const id = operationId ?? randomUUID();
    const sink: ProgressSink = (event) =>
      this.hub.publish('progress', { ...event, operation, operationId: id });
    const activity = (level: 'info' | 'error', message: string) =>
      this.hub.publish('log', { level, message, operation, operationId: id });
    const turn = this.clusterQueue.then(async () => {
      activity('info', `${operation} started`);
      try {
        const result = await run(sink);
        activity('info', `${operation} finished`);
        return result;
      } catch (err) {
        const reason = isGuildhallError(err)
          ? redact(err.message, await this.secretList())
          : 'unexpected error';
        activity('error', `${operation} failed: ${reason}`);
        throw err;
      }
    });
    this.clusterQueue = turn.catch(() => {});
    return turn;
  }

  /** Publishes a status obtained by an operation (only when it changed). */
  offerClusterStatus(status: ClusterStatus): void {
    this.observeAlerts(status);
    this.watch.offer(status);
  }

  /** Feeds a status's workers to the alert monitor (queues are fed by the tray's polls). */
  private observeAlerts(status: ClusterStatus): void {
    this.alerts.evaluate({
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

  /** Secrets that must never leave in a message: the current cluster's Redis password. */
  async secretList(): Promise<string[]> {
    try {
      const { spec } = await this.core.cluster.spec();
      const password = await this.core.secrets.get(redisPasswordKey(spec.name));
      if (password && !this.secrets.includes(password)) this.secrets.push(password);
    } catch {
      // Settings unreadable: keep the secrets already known.
    }
    return this.secrets;
  }

  async errorOptions(): Promise<ToApiErrorOptions> {
    const secrets = await this.secretList();
    return {
      secrets,
      onUnexpected: (err) => {
        const text = err instanceof Error ? (err.stack ?? err.message) : String(err);
        this.log(`guildhall api: unexpected error: ${redact(text, secrets)}`);
      },
    };
  }

  async close(): Promise<void> {
    this.stopListening();
    this.watch.stop();
    this.jobsWatch.stop();
    this.metricsOff?.();
    this.metricsOff = null;
    this.hub.close();
    await this.queuesAccess.close();
  }

  private followSubscribers(): void {
    const alertSubscribers = this.hub.subscriberCount('alerts');
    // A new subscriber learns what is active now (the hub holds only unheard events).
    if (alertSubscribers > this.alertSubscribers) {
      this.hub.publish('alerts', { active: this.alerts.active() });
    }
    this.alertSubscribers = alertSubscribers;
    this.watch.setActive(this.hub.subscriberCount('cluster-state') > 0 || alertSubscribers > 0);
    this.jobsWatch.setActive(this.hub.subscriberCount('jobs') > 0);
    const wantMetrics = this.hub.subscriberCount('metrics') > 0;
    if (wantMetrics && this.metrics && !this.metricsOff) {
      this.metricsOff = this.metrics.subscribe((tick) => this.hub.publish('metrics', tick));
    } else if (!wantMetrics && this.metricsOff) {
      this.metricsOff();
      this.metricsOff = null;
    }
  }
}
