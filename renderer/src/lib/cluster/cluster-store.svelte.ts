/**
 * The cluster as the whole console sees it: its status (live from the `cluster-state` events),
 * the engine in use, whether the event stream is connected, and the cluster operations
 * (start, stop, scale, restart or stop one worker) with their progress.
 */
import {
  api,
  apiErrorOf,
  type ApiClusterStatus,
  type ApiErrorData,
  type ApiOutputs,
} from '../api/client';
import { operations, type ActivityData, type ProgressData } from '../operations/operations.svelte';
import { followEvents } from '../shell/event-stream';
import { notices } from '../shell/notices.svelte';

/** Warnings older than this when they arrive (held while nobody listened) are not shown. */
const NOTICE_MAX_AGE_MS = 60_000;

export type EngineInfo = ApiOutputs['engine']['info'];
export type ClusterState = ApiClusterStatus['state'];

class ClusterStore {
  status = $state.raw<ApiClusterStatus | null>(null);
  error = $state.raw<ApiErrorData | null>(null);
  engine = $state.raw<EngineInfo | null>(null);
  engineError = $state.raw<ApiErrorData | null>(null);
  /** False while the event stream is down (the console server stopped, …). */
  connected = $state(true);
  private stop: (() => void) | null = null;

  /** Starts following the cluster (once for the app). */
  start(): () => void {
    if (this.stop) return this.stop;
    void this.refresh();
    void this.refreshEngine();
    const off = followEvents(['cluster-state', 'progress', 'log'], {
      onEvent: (event) => {
        if (event.topic === 'cluster-state') {
          this.status = event.data;
          this.error = null;
        } else if (event.topic === 'progress') {
          operations.ingest(event.data as ProgressData);
        } else if (event.topic === 'log') {
          this.onActivity(event.data, event.at);
        }
      },
      onConnected: () => {
        if (!this.connected) {
          this.connected = true;
          void this.refresh();
          void this.refreshEngine();
        }
      },
      onDisconnected: () => (this.connected = false),
    });
    this.stop = () => {
      off();
      this.stop = null;
    };
    return this.stop;
  }

  /** Activity lines: operation ends, and warnings (a worker crash-looping…) as notices. */
  private onActivity(line: ActivityData, at: number): void {
    if (line.operationId) {
      operations.ingestActivity(line, at);
      return;
    }
    if (line.level === 'info' || Date.now() - at > NOTICE_MAX_AGE_MS) return;
    notices.push(line.level === 'error' ? 'danger' : 'warn', line.message);
  }

  async refresh(): Promise<void> {
    try {
      this.status = await api.cluster.status();
      this.error = null;
    } catch (err) {
      this.error = apiErrorOf(err);
    }
  }

  async refreshEngine(): Promise<void> {
    try {
      this.engine = await api.engine.info();
      this.engineError = null;
    } catch (err) {
      this.engine = null;
      this.engineError = apiErrorOf(err);
    }
  }

  /** Whether an operation that changes the whole cluster is under way. */
  get busy(): boolean {
    return Boolean(
      operations.running('cluster.up') ??
      operations.running('cluster.down') ??
      operations.running('cluster.scale'),
    );
  }

  private accept(status: ApiClusterStatus | null): void {
    if (status) {
      this.status = status;
      this.error = null;
    }
  }

  async up(): Promise<boolean> {
    const status = await operations.run('cluster.up', (operationId) =>
      api.cluster.up({ operationId }),
    );
    this.accept(status);
    void this.refreshEngine();
    return status !== null;
  }

  async down(): Promise<boolean> {
    const status = await operations.run('cluster.down', (operationId) =>
      api.cluster.down({ operationId }),
    );
    this.accept(status);
    return status !== null;
  }

  /** Sets a pool's container count (the default pool when `pool` is left out). */
  async scale(replicas: number, pool?: string): Promise<boolean> {
    const status = await operations.run('cluster.scale', (operationId) =>
      api.cluster.scale({ replicas, operationId, ...(pool ? { pool } : {}) }),
    );
    this.accept(status);
    return status !== null;
  }

  /** Restarts (or starts) container N of a pool (default: the default pool). */
  async restartWorker(number: number, pool?: string): Promise<boolean> {
    const status = await operations.run('cluster.restartWorker', () =>
      api.cluster.restartWorker({ number, pool }),
    );
    this.accept(status);
    return status !== null;
  }

  async stopWorker(number: number, pool?: string): Promise<boolean> {
    const status = await operations.run('cluster.stopWorker', () =>
      api.cluster.stopWorker({ number, pool }),
    );
    this.accept(status);
    return status !== null;
  }
}

export const clusterStore = new ClusterStore();

/** Whether the cluster has containers that can be stopped. */
export function isUp(state: ClusterState | undefined): boolean {
  return state === 'running' || state === 'degraded' || state === 'starting';
}

/** The badge tone of a cluster state. */
export function stateTone(state: ClusterState | undefined): 'ok' | 'warn' | 'info' | 'neutral' {
  switch (state) {
    case 'running':
      return 'ok';
    case 'degraded':
      return 'warn';
    case 'starting':
      return 'info';
    default:
      return 'neutral';
  }
}
