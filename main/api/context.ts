/**
 * What every procedure call gets: the process-wide API services and the transport it came over.
 * ApiServices puts together the parts, each in its own file: the operation queue, the secret
 * cache, the cluster-state feed, the job-activity watch and the metrics feed (the last three
 * run only while someone listens to their topic). One ApiServices lives as long as the Electron
 * main process or the console server; contexts are per connection.
 */
import type { Core } from '../core';
import type { QueuesService } from '../queues/queues-service';
import type { ProgressSink } from '../util/progress';
import { createApiEventHub, type ApiEventHub } from './api-events';
import { ClusterStateFeed } from './cluster-state-feed';
import { CurrentQueues } from '../queues/current-queues';
import type { ToApiErrorOptions } from './errors';
import { JobActivityWatch } from './job-activity-watch';
import { MetricsFeed, type MetricsSource } from './metrics-feed';
import { OperationQueue } from './operation-queue';
import { SecretCache } from './secret-cache';

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
}

export class ApiServices {
  readonly core: Core;
  readonly hub: ApiEventHub;
  readonly openPath: ((file: string) => Promise<void>) | undefined;
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
    this.currentQueues = new CurrentQueues(this.core);
    this.secrets = new SecretCache(
      this.core,
      options.log ?? ((line) => process.stderr.write(`${line}\n`)),
    );
    this.operations = new OperationQueue(this.hub, () => this.secrets.list());
    this.clusterState = new ClusterStateFeed({
      read: () => this.core.cluster.status(),
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

  /** Publishes a status obtained by an operation (only when it changed). */
  offerClusterStatus(status: Parameters<ClusterStateFeed['offer']>[0]): void {
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
    this.clusterState.stop();
    this.jobsWatch.stop();
    this.metrics.stop();
    this.hub.close();
    await this.currentQueues.close();
  }

  private followSubscribers(): void {
    this.clusterState.setActive(this.hub.subscriberCount('cluster-state') > 0);
    this.jobsWatch.setActive(this.hub.subscriberCount('jobs') > 0);
    this.metrics.setActive(this.hub.subscriberCount('metrics') > 0);
  }
}
