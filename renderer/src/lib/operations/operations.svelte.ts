/**
 * Long operations (start, stop, scale, worker restarts…) as the UI shows them: each one's steps
 * from the progress events (step, target, status, bytes), its elapsed time, and how it ended.
 * Operations started here get an operation id, so their progress events find them; operations
 * started elsewhere (tray, CLI through the same server) show up from their first event.
 *
 *   const status = await operations.run('cluster.up', (operationId) =>
 *     api.cluster.up({ operationId }));   // null when it failed (the error is on the view)
 */
import { apiErrorOf, type ApiErrorData } from '../api/client';

export type ProgressStep =
  'engine' | 'settings' | 'image' | 'network' | 'volume' | 'redis' | 'worker' | 'scale' | 'remove';
export type StepStatus = 'pending' | 'running' | 'done' | 'failed' | 'skipped';

export interface ProgressData {
  step: ProgressStep;
  target: string;
  status: StepStatus;
  bytesDone?: number;
  bytesTotal?: number;
  item?: string;
  at: number;
  operation: string;
  operationId: string;
}

export interface StepView {
  key: string;
  step: ProgressStep;
  target: string;
  status: StepStatus;
  bytesDone: number | null;
  bytesTotal: number | null;
  startedAt: number;
  at: number;
}

export interface OperationView {
  id: string;
  operation: string;
  startedAt: number;
  finishedAt: number | null;
  state: 'running' | 'done' | 'failed';
  steps: StepView[];
  error: ApiErrorData | null;
  /** When the last progress event arrived. */
  lastEventAt: number;
  /** Started from this window (so this window reports how it ended). */
  local: boolean;
}

/** Progress of operations that ended longer ago than this is not shown when it arrives late. */
const STALE_MS = 30_000;
/**
 * An operation started elsewhere normally ends with its activity-log line; without one (the
 * line came before this window listened), it ends once every step ended and all was quiet
 * this long.
 */
const QUIET_END_MS = 15_000;

/** A line of the API's activity log (the `log` event topic). */
export interface ActivityData {
  level: 'info' | 'warn' | 'error';
  message: string;
  operation?: string;
  operationId?: string;
}
/** Finished operations kept for display. */
const KEEP_FINISHED = 5;

export function newOperationId(): string {
  const random = globalThis.crypto?.randomUUID?.();
  return random ?? `op-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`;
}

/** Applies one progress event to an operation's step list (pure; exported for tests). */
export function applyProgress(steps: StepView[], event: ProgressData): void {
  const key = `${event.step}:${event.target}`;
  const existing = steps.find((s) => s.key === key);
  const bytesDone = event.bytesDone ?? existing?.bytesDone ?? null;
  const bytesTotal = event.bytesTotal ?? existing?.bytesTotal ?? null;
  if (existing) {
    existing.status = event.status;
    existing.bytesDone = bytesDone;
    existing.bytesTotal = bytesTotal;
    existing.at = event.at;
  } else {
    steps.push({
      key,
      step: event.step,
      target: event.target,
      status: event.status,
      bytesDone,
      bytesTotal,
      startedAt: event.at,
      at: event.at,
    });
  }
}

class Operations {
  list = $state<OperationView[]>([]);
  /** A clock for elapsed times, ticking once a second while something runs. */
  now = $state(Date.now());
  private timer: ReturnType<typeof setInterval> | null = null;

  /** Runs an API call as a tracked operation; resolves to null when it failed. */
  async run<T>(operation: string, call: (operationId: string) => Promise<T>): Promise<T | null> {
    const id = newOperationId();
    const view = this.open(id, operation, Date.now(), true);
    try {
      const result = await call(id);
      this.finish(view.id, null);
      return result;
    } catch (err) {
      this.finish(view.id, apiErrorOf(err));
      return null;
    }
  }

  /** Feeds a progress event from the event stream. */
  ingest(event: ProgressData): void {
    let view = this.list.find((op) => op.id === event.operationId);
    if (!view) {
      if (Date.now() - event.at > STALE_MS) return;
      view = this.open(event.operationId, event.operation, event.at, false);
    }
    applyProgress(view.steps, event);
    view.lastEventAt = Date.now();
    this.updateClock();
  }

  /**
   * Feeds an activity-log line: "<operation> started|finished|failed: …" lines open and end
   * operations started elsewhere (this window ends its own when the call returns).
   */
  ingestActivity(line: ActivityData, at: number): void {
    const { operation, operationId } = line;
    if (!operation || !operationId) return;
    let view = this.list.find((op) => op.id === operationId);
    if (!view) {
      if (Date.now() - at > STALE_MS || !line.message.endsWith(' started')) return;
      // Calls that cannot carry our id (restarting one worker…) get one from the server: the
      // local operation of that kind already shows it (the server runs them one at a time).
      if (this.list.some((op) => op.local && op.state === 'running' && op.operation === operation))
        return;
      view = this.open(operationId, operation, at, false);
    }
    if (view.local || view.state !== 'running') return;
    if (line.message === `${operation} finished`) {
      this.finish(view.id, null, at);
    } else if (line.level === 'error') {
      const reason = line.message.replace(`${operation} failed: `, '');
      this.finish(view.id, { code: 'internal', message: reason }, at);
    }
  }

  /** The running operation of a kind (e.g. 'cluster.up'), if any. */
  running(operation?: string): OperationView | undefined {
    return this.list.find(
      (op) => op.state === 'running' && (operation === undefined || op.operation === operation),
    );
  }

  /** The latest operation of one of the kinds, running or finished. */
  latest(...kinds: string[]): OperationView | undefined {
    for (let i = this.list.length - 1; i >= 0; i--) {
      const op = this.list[i]!;
      if (kinds.includes(op.operation)) return op;
    }
    return undefined;
  }

  dismiss(id: string): void {
    this.list = this.list.filter((op) => op.id !== id);
  }

  private open(id: string, operation: string, at: number, local: boolean): OperationView {
    this.list.push({
      id,
      operation,
      startedAt: at,
      finishedAt: null,
      state: 'running',
      steps: [],
      error: null,
      lastEventAt: Date.now(),
      local,
    });
    this.trim();
    this.updateClock();
    return this.list.find((op) => op.id === id)!;
  }

  private finish(id: string, error: ApiErrorData | null, at = Date.now()): void {
    const view = this.list.find((op) => op.id === id);
    if (!view) return;
    view.state = error ? 'failed' : 'done';
    view.error = error;
    view.finishedAt = at;
    // A step still "running" when the call returned did not report its end; it ended with it.
    for (const step of view.steps) {
      if (step.status === 'running' || step.status === 'pending')
        step.status = error ? 'failed' : 'done';
    }
    this.updateClock();
  }

  private trim(): void {
    const finished = this.list.filter((op) => op.state !== 'running');
    if (finished.length <= KEEP_FINISHED) return;
    const drop = new Set(finished.slice(0, finished.length - KEEP_FINISHED).map((op) => op.id));
    this.list = this.list.filter((op) => !drop.has(op.id));
  }

  private tick(): void {
    this.now = Date.now();
    for (const op of this.list) {
      if (op.local || op.state !== 'running' || op.steps.length === 0) continue;
      const ended = op.steps.every((s) => s.status !== 'running' && s.status !== 'pending');
      if (ended && this.now - op.lastEventAt > QUIET_END_MS) {
        const failed = op.steps.some((s) => s.status === 'failed');
        op.state = failed ? 'failed' : 'done';
        op.finishedAt = op.lastEventAt;
      }
    }
    this.updateClock();
  }

  private updateClock(): void {
    this.now = Date.now();
    const anyRunning = this.list.some((op) => op.state === 'running');
    if (anyRunning && !this.timer) {
      this.timer = setInterval(() => this.tick(), 1_000);
    } else if (!anyRunning && this.timer) {
      clearInterval(this.timer);
      this.timer = null;
    }
  }
}

export const operations = new Operations();
