/**
 * Publishes this worker's heartbeat: every HEARTBEAT_INTERVAL_MS a JSON Heartbeat at
 * heartbeatKey(cluster, name) expiring after HEARTBEAT_TTL_MS, and the name in the cluster's
 * heartbeat index set. A dead worker's key simply expires; a stopping one deletes it.
 */
import type { Redis } from 'ioredis';
import {
  HEARTBEAT_INTERVAL_MS,
  HEARTBEAT_TTL_MS,
  heartbeatIndexKey,
  heartbeatKey,
  heartbeatSchema,
  type Heartbeat,
} from '../../../main/shared/worker-contract';
import { createThrottledErrorLog, errorMessage } from './log';
import { WORKER_VERSION } from './version';
import type { WorkerStats } from './worker-stats';

export type WorkerState = Heartbeat['state'];

export interface HeartbeatIdentity {
  cluster: string;
  name: string;
  queues: string[];
  concurrency: number;
}

const logFailure = createThrottledErrorLog(30_000);

/**
 * Job events refresh the heartbeat at most this often. Writing it on every job start and finish
 * cost a busy worker a visible share of its CPU (tests/bench/REPORT.md, job throughput); readers
 * (the console, readiness) poll far less often.
 */
export const JOB_EVENT_GAP_MS = 250;

export class HeartbeatPublisher {
  private timer: NodeJS.Timeout | undefined;
  private sending: Promise<void> | null = null;
  private publishAgain = false;
  private stopped = false;
  private lastSentAt = 0;
  private trailing: NodeJS.Timeout | undefined;
  private stateValue: WorkerState = 'starting';
  private readonly startedAt = Date.now();
  private readonly key: string;

  constructor(
    private readonly redis: Redis,
    private readonly identity: HeartbeatIdentity,
    private readonly stats: WorkerStats,
  ) {
    this.key = heartbeatKey(identity.cluster, identity.name);
  }

  start(): void {
    void this.publish();
    this.timer = setInterval(() => void this.publish(), HEARTBEAT_INTERVAL_MS);
  }

  /** 'starting' until ready, then idle/busy from the active jobs, 'stopping' once set. */
  setState(state: 'starting' | 'running' | 'stopping'): void {
    this.stateValue = state === 'running' ? 'idle' : state;
    void this.publish();
  }

  /**
   * A job started or finished: publish now if the last write is JOB_EVENT_GAP_MS old, else once
   * when it is, so the latest counts are always written and bursts cost one write.
   */
  jobChanged(): void {
    const wait = this.lastSentAt + JOB_EVENT_GAP_MS - Date.now();
    if (wait <= 0) {
      void this.publish();
      return;
    }
    this.trailing ??= setTimeout(() => {
      this.trailing = undefined;
      void this.publish();
    }, wait);
  }

  snapshot(): Heartbeat {
    const activeJobs = this.stats.activeJobs;
    const state = this.stateValue === 'idle' && activeJobs.length > 0 ? 'busy' : this.stateValue;
    return heartbeatSchema.parse({
      name: this.identity.name,
      state,
      queues: this.identity.queues,
      concurrency: this.identity.concurrency,
      activeJobs,
      processed: this.stats.processed,
      failed: this.stats.failed,
      avgDurationMs: this.stats.avgDurationMs,
      lastError: this.stats.lastError,
      startedAt: this.startedAt,
      at: Date.now(),
      pid: process.pid,
      version: WORKER_VERSION,
    });
  }

  /**
   * Writes the heartbeat now (or right after the write in flight, so no update is lost), when
   * connected.
   */
  publish(): Promise<void> {
    // Without a connection there is nothing to write to; the owner publishes again on 'ready'.
    if (this.stopped || this.redis.status !== 'ready') return Promise.resolve();
    if (this.sending !== null) {
      this.publishAgain = true;
      return this.sending;
    }
    const heartbeat = this.snapshot();
    this.lastSentAt = Date.now();
    this.sending = this.redis
      .multi()
      .set(this.key, JSON.stringify(heartbeat), 'PX', HEARTBEAT_TTL_MS)
      .sadd(heartbeatIndexKey(this.identity.cluster), this.identity.name)
      .exec()
      .then(
        () => undefined,
        (err: unknown) => logFailure(`could not publish the heartbeat: ${errorMessage(err)}`),
      )
      .finally(() => {
        this.sending = null;
        if (this.publishAgain) {
          this.publishAgain = false;
          void this.publish();
        }
      });
    return this.sending;
  }

  /** Stops publishing and deletes the key (the index entry is pruned by readers). */
  async stop(): Promise<void> {
    this.halt();
    while (this.sending !== null) await this.sending;
    await this.redis.del(this.key).then(
      () => undefined,
      (err: unknown) => logFailure(`could not remove the heartbeat: ${errorMessage(err)}`),
    );
  }

  /** Stops publishing, leaving the key to expire by itself (for when Redis cannot be reached). */
  halt(): void {
    this.stopped = true;
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
    clearTimeout(this.trailing);
    this.trailing = undefined;
  }
}
