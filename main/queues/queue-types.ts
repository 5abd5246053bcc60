/**
 * The shapes the queues core hands to the console, tray, CLI and typed API: plain JSON-able
 * data, no BullMQ objects. Everything here is safe to send over IPC or HTTP.
 */
import type { Heartbeat } from '@shared/worker-contract';

/** Job states a queue reports counts for and that jobs can be listed by. */
export const jobStates = [
  'waiting',
  'active',
  'completed',
  'failed',
  'delayed',
  'paused',
  'prioritized',
  'waiting-children',
] as const;
export type JobStateName = (typeof jobStates)[number];

/** States `clean` accepts (BullMQ's names; `waiting` is cleaned as its `wait` list). */
export const cleanableStates = [
  'completed',
  'failed',
  'waiting',
  'delayed',
  'paused',
  'prioritized',
] as const;
export type CleanableState = (typeof cleanableStates)[number];

export const workerStates = ['idle', 'busy', 'stopping', 'starting', 'unknown'] as const;
export type WorkerStateName = (typeof workerStates)[number];

export type JobCounts = Record<JobStateName, number>;

/** One worker, as seen by BullMQ (connected clients) joined with its Guildhall heartbeat. */
export interface WorkerView {
  /** The BullMQ worker name, which is the worker container's name. */
  name: string;
  /** Queues the worker consumes: from BullMQ's client list, else from its heartbeat. */
  queues: string[];
  /** The latest heartbeat, or null when it has expired or was never sent. */
  heartbeat: Heartbeat | null;
  state: WorkerStateName;
  /** True when BullMQ sees at least one live connection of this worker. */
  connected: boolean;
}

/** Finished jobs per minute. Index 0 is the current (unfinished) minute, then older minutes. */
export interface ThroughputSeries {
  /** Epoch ms of the start of the minute at index 0. */
  minuteStart: number;
  perMinute: number[];
  /** All finished jobs of this kind recorded since metrics were first collected. */
  total: number;
}

export interface QueueMetrics {
  queue: string;
  completed: ThroughputSeries;
  failed: ThroughputSeries;
  /**
   * False when no worker has ever recorded metrics for this queue (BullMQ collects them only
   * in workers started with the `metrics` option), so the series are all zero.
   */
  collected: boolean;
}

export interface QueueSummary {
  name: string;
  /** Counts by state. In BullMQ ≥ 5 pausing keeps jobs in `waiting`; `paused` counts legacy jobs only. */
  counts: JobCounts;
  isPaused: boolean;
  /** Workers attached to this queue. */
  workers: WorkerView[];
  /** Jobs finished in the current minute and in the last full minute. */
  throughput: {
    completedThisMinute: number;
    completedLastMinute: number;
    failedThisMinute: number;
    failedLastMinute: number;
  };
  /** True for the queues every worker consumes by default. */
  builtin: boolean;
}

/** A small view of a job for lists: no data blobs, only a truncated preview. */
export interface JobSummary {
  id: string;
  queue: string;
  name: string;
  state: JobStateName | 'unknown';
  /** JSON of the job data, cut to a short preview. */
  dataPreview: string;
  /** Size of the serialised job data in bytes. */
  dataBytes: number;
  attemptsMade: number;
  maxAttempts: number;
  priority: number;
  delay: number;
  progress: number | string | boolean | Record<string, unknown>;
  /** When the job was created (epoch ms). */
  timestamp: number;
  processedOn: number | null;
  finishedOn: number | null;
  /** First line of the failure reason, cut short; null when the job has not failed. */
  failedReason: string | null;
}

export interface JobDetail extends Omit<JobSummary, 'failedReason'> {
  data: unknown;
  opts: Record<string, unknown>;
  returnvalue: unknown;
  failedReason: string | null;
  stacktrace: string[];
  logs: string[];
  /** Total log lines stored for the job (the `logs` array may hold only the latest ones). */
  logCount: number;
  /** Epoch ms at which a delayed job becomes due, or null. */
  dueAt: number | null;
}

/** A listed job with its return value, for scripts (`guildhall jobs --json`). */
export interface JobEntry extends JobSummary {
  /** What the processor returned (null until the job completed). */
  returnvalue: unknown;
}

/** Jobs of one state, or (state `any`) the most recently active jobs of every state. */
export interface JobEntries {
  queue: string;
  state: JobStateName | 'any';
  /** Jobs in the state(s) right now. */
  total: number;
  /** One state: BullMQ's order for it, newest first; `any`: by latest activity, newest first. */
  jobs: JobEntry[];
}

export interface JobPage {
  queue: string;
  state: JobStateName;
  order: 'asc' | 'desc';
  start: number;
  /** Jobs currently in this state. */
  total: number;
  jobs: JobSummary[];
}

export interface JobSearchResult extends JobPage {
  name: string;
  /** Jobs in the state that were examined (at most the scan bound). */
  scanned: number;
  /** True when the state holds more jobs than the scan bound, so matches may be missing. */
  truncated: boolean;
  /** `total` here counts matches among the scanned jobs. */
}

export interface RedisHealth {
  version: string;
  uptimeSeconds: number;
  usedMemoryBytes: number;
  usedMemoryPeakBytes: number;
  /** 0 means no limit. */
  maxMemoryBytes: number;
  maxMemoryPolicy: string;
  opsPerSec: number;
  connectedClients: number;
  aof: {
    enabled: boolean;
    /** `ok` or `err` as Redis reports it; null when AOF is off. */
    lastWriteStatus: string | null;
    rewriteInProgress: boolean;
    lastRewriteStatus: string | null;
  };
}

/**
 * A Celery queue a custom pool watches (`watch.celery`): read-only, Celery owns it. `waiting`
 * counts the tasks in its Redis lists (every priority step), not those a worker has fetched.
 */
export interface CeleryQueueView {
  kind: 'celery';
  name: string;
  /** The pool whose spec watches it. */
  pool: string;
  waiting: number;
}

export interface QueuesOverview {
  at: number;
  queues: QueueSummary[];
  workers: WorkerView[];
  redis: RedisHealth;
  /** The custom pools' watched Celery queues (empty when none watches any). */
  celery: CeleryQueueView[];
}

/* ---- action results ---- */

export interface AddJobResult {
  queue: string;
  id: string;
  name: string;
  /** False when a job with the given jobId already existed, so nothing was added. */
  created: boolean;
  /** True when this call created the queue (it was not known before). */
  newQueue: boolean;
}

export interface JobActionResult {
  queue: string;
  id: string;
  action: 'retried' | 'removed' | 'promoted';
}

export interface RetryAllResult {
  queue: string;
  /** Failed jobs moved back to waiting. */
  retried: number;
}

export interface PauseResult {
  queue: string;
  isPaused: boolean;
}

export interface CleanResult {
  queue: string;
  state: CleanableState;
  removed: number;
  removedIds: string[];
}

export interface DrainResult {
  queue: string;
  includedDelayed: boolean;
  /** Jobs removed (waiting + prioritized, plus delayed when included), counted around the drain. */
  removed: number;
}
