/**
 * Drives a supervisor duty the way the supervisor's loop will: about once a second, a tick with
 * the real core, the cluster's status read for it, the time, and a record() that keeps the
 * events (stamped with `at`) for the test to read. Errors a tick throws are kept, not swallowed.
 */
import type { Core } from '../../../main/core';
import type { SupervisorDuty, SupervisorEventInput } from '../../../main/supervisor/duty';
import { waitFor } from './queues-fixture';

export type RecordedEvent = SupervisorEventInput & { at: number };

export class DutyTicker {
  readonly events: RecordedEvent[] = [];
  readonly errors: unknown[] = [];
  private running = false;
  private loop: Promise<void> = Promise.resolve();
  private readonly abort = new AbortController();

  constructor(
    private readonly core: Core,
    private readonly duty: SupervisorDuty,
    private readonly intervalMs = 1000,
  ) {}

  /** Waits for `check`; a timeout names what was recorded and thrown, for the failure's cause. */
  async waitFor(check: () => boolean | Promise<boolean>, timeoutMs: number, what: string) {
    try {
      await waitFor(check, timeoutMs, what, 200);
    } catch (err) {
      throw new Error(`${(err as Error).message}; recorded:\n${this.describe()}`, { cause: err });
    }
  }

  /** The recorded events and tick errors, one a line. */
  describe(): string {
    return [
      ...this.events.map((e) => `  ${e.kind} ${e.pool ?? '-'} ${e.action}: ${e.reason}`),
      ...this.errors.map((e) => `  tick error: ${(e as Error)?.message ?? String(e)}`),
    ].join('\n');
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  /** Stops after the tick in flight. */
  async pause(): Promise<void> {
    this.running = false;
    await this.loop;
  }

  /** Stops ticking and lets the duty release what it holds. */
  async stop(): Promise<void> {
    await this.pause();
    this.abort.abort();
    await this.duty.stop?.();
  }

  private async run(): Promise<void> {
    while (this.running) {
      const started = Date.now();
      try {
        const status = await this.core.cluster.status();
        await this.duty.tick({
          core: this.core,
          status,
          now: Date.now(),
          record: (event) => this.events.push({ ...event, at: Date.now() }),
          signal: this.abort.signal,
        });
      } catch (err) {
        this.errors.push(err);
      }
      const wait = Math.max(0, this.intervalMs - (Date.now() - started));
      await new Promise((resolve) => setTimeout(resolve, wait));
    }
  }
}
