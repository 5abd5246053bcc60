/**
 * What this worker has done, for its heartbeat: active jobs, finished counts, average duration
 * and the last error. `processed` counts every finished job (completed or failed); `failed` is
 * the failed part of it.
 */
import type { Heartbeat } from '../../../main/shared/worker-contract';
import { redact } from './log';

const LAST_ERROR_MAX_CHARS = 500;

type ActiveJob = Heartbeat['activeJobs'][number];

export class WorkerStats {
  private readonly active = new Map<string, { job: ActiveJob; startedAt: number }>();
  private processedCount = 0;
  private failedCount = 0;
  private totalDurationMs = 0;
  private lastErrorText: string | null = null;

  jobStarted(queue: string, id: string): void {
    this.active.set(`${queue}\u0000${id}`, { job: { queue, id }, startedAt: Date.now() });
  }

  jobCompleted(queue: string, id: string): void {
    this.finish(queue, id);
  }

  jobFailed(queue: string, id: string | undefined, message: string): void {
    if (id !== undefined) this.finish(queue, id);
    else this.processedCount++;
    this.failedCount++;
    const text = redact(`${queue}${id === undefined ? '' : `#${id}`}: ${message}`);
    this.lastErrorText =
      text.length > LAST_ERROR_MAX_CHARS ? `${text.slice(0, LAST_ERROR_MAX_CHARS - 1)}…` : text;
  }

  /** Records an error that is not a job's (e.g. Redis connection trouble). */
  workerError(message: string): void {
    this.lastErrorText = redact(message).slice(0, LAST_ERROR_MAX_CHARS);
  }

  private finish(queue: string, id: string): void {
    const key = `${queue}\u0000${id}`;
    const entry = this.active.get(key);
    this.active.delete(key);
    this.processedCount++;
    if (entry !== undefined) this.totalDurationMs += Date.now() - entry.startedAt;
  }

  get activeJobs(): ActiveJob[] {
    return [...this.active.values()].map((entry) => entry.job);
  }

  get processed(): number {
    return this.processedCount;
  }

  get failed(): number {
    return this.failedCount;
  }

  get avgDurationMs(): number {
    return this.processedCount === 0 ? 0 : Math.round(this.totalDurationMs / this.processedCount);
  }

  get lastError(): string | null {
    return this.lastErrorText;
  }
}
