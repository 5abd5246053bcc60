/**
 * What every procedure call gets: the process-wide API services and the transport it came over.
 * ApiServices puts together the parts, each in its own file: the operation queue, the secret
 * cache, the cluster-state feed, the process's one alert feed, the job-activity watch and the
 * metrics feed (the feeds and the watch run only while someone listens to their topic). One ApiServices lives as long as the Electron
 * main process or the console server; contexts are per connection.
 */
import type { ClusterStatus } from '../cluster/status';
import type { Core } from '../core';
import type { MonitorHistory } from '../monitor';
import type { AlertMonitor } from '../monitor/alerts';
import type { QueuesService } from '../queues/queues-service';
import type { ProgressSink } from '../util/progress';
import { alertJournalFor } from '../alerts/alert-duty';
import type { AlertRecord } from '../alerts/alert-record';
import { AlertFeed } from './alert-feed';
import { createApiEventHub, type ApiEventHub } from './api-events';
import { ClusterStateFeed } from './cluster-state-feed';
import { CurrentQueues } from '../queues/current-queues';
import type { ToApiErrorOptions } from './errors';
import { JobActivityWatch } from './job-activity-watch';
import { MetricsFeed, type MetricsSource } from './metrics-feed';
import { OperationQueue } from './operation-queue';
import { SecretCache } from './secret-cache';
import { ThroughputHistory } from './throughput-history';

export type { MetricsSource };

export type ApiTransport = 'ipc' | 'websocket' | 'http' | 'in-process';

export interface ApiContext {
  services: ApiServices;
  transport: ApiTransport;
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
  /** The process's one alert monitor (alert-feed.ts). */
  readonly alerts: AlertMonitor;
  private readonly alertFeed: AlertFeed;
  private readonly currentQueues: CurrentQueues;
  private readonly secrets: SecretCache;
  private readonly operations: OperationQueue;
  private readonly clusterState: ClusterStateFeed;
  private readonly jobsWatch: JobActivityWatch;
  private readonly metrics: MetricsFeed;
  private readonly stopListening: () => void;

  constructor(options: ApiServicesOptions) {
    this.core = options.core;
    this.hub = options.hub ?? createApiEventHub();
    this.openPath = options.openPath;
    this.alertFeed = new AlertFeed(this.hub, options.alerts, alertJournalFor(this.core));
    this.alerts = this.alertFeed.monitor;
    this.currentQueues = new CurrentQueues(this.core);
    this.secrets = new SecretCache(
      this.core,
      options.log ?? ((line) => process.stderr.write(`${line}\n`)),
    );
    this.operations = new OperationQueue(this.hub, () => this.secrets.list());
    this.clusterState = new ClusterStateFeed({
      read: async () => {
        const status = await this.core.cluster.status();
        this.alertFeed.observe(status);
        return status;
      },
      publish: (status) => this.hub.publish('cluster-state', status),
      intervalMs: options.clusterPollMs,
    });
    this.jobsWatch = new JobActivityWatch({
      queues: () => this.currentQueues.get(),
      // Not into the hub's buffer when nobody listens (while the watch lingers): stale for later.
      publish: (queues) => {
        if (this.hub.subscriberCount('jobs') > 0) this.hub.publish('jobs', { queues });
      },
    });
    this.metrics = new MetricsFeed(this.hub, options.metrics);
    this.stopListening = this.hub.onSubscribersChanged(() => this.followSubscribers());
  }

  /** The metrics monitor's kept history, or null when there is none (yet). */
  metricsHistory(): MonitorHistory | null {
    return this.metrics.history();
  }

  queues(): Promise<QueuesService> {
    return this.currentQueues.get();
  }

  /**
   * Runs a cluster operation (one at a time): its progress goes to the hub under an operation
   * id, with activity-log lines when it starts, finishes or fails.
   */
  operation<T>(
    operation: string,
    operationId: string | undefined,
    run: (sink: ProgressSink) => Promise<T>,
  ): Promise<T> {
    return this.operations.run(operation, operationId, run);
  }

  /** Told of each alert the rules raise from now on (the desktop notifications). */
  onAlertRaised(listener: (alert: AlertRecord) => void): () => void {
    return this.alertFeed.onJournalRaised(listener);
  }

  /** Publishes a status obtained by an operation (only when it changed). */
  offerClusterStatus(status: ClusterStatus): void {
    this.alertFeed.observe(status);
    this.clusterState.offer(status);
  }

  /** Secrets that must never leave in a message: the current cluster's Redis password. */
  secretList(): Promise<string[]> {
    return this.secrets.list();
  }

  errorOptions(): Promise<ToApiErrorOptions> {
    return this.secrets.errorOptions();
  }

  async close(): Promise<void> {
    this.stopListening();
    this.alertFeed.stop();
    this.clusterState.stop();
    this.jobsWatch.stop();
    this.metrics.stop();
    this.hub.close();
    await this.currentQueues.close();
  }

  private followSubscribers(): void {
    const alerts = this.alertFeed.setSubscribers(this.hub.subscriberCount('alerts'));
    this.clusterState.setActive(this.hub.subscriberCount('cluster-state') > 0 || alerts);
    this.jobsWatch.setActive(this.hub.subscriberCount('jobs') > 0);
    this.metrics.setActive(this.hub.subscriberCount('metrics') > 0);
  }
}
