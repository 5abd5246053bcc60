/**
 * The cluster's health as the last diagnostics run found it, for a badge in the navigation:
 *
 *   import { health } from '../troubleshoot/health.svelte';
 *   {#if health.failing > 0}<span class="badge">{health.failing}</span>{/if}
 *
 * The troubleshooting page runs the checks through `run()` and updates it after every fix or
 * mute. `checkSoon()` runs them in the background when the last run is older than `maxAgeMs`
 * (the shell calls it once at start); it never polls by itself.
 */
import { api } from '../api/client';
import type { DiagnosticsRun } from './troubleshoot-model';

class HealthStore {
  /** Failed checks that are not muted. */
  failing = $state(0);
  /** Warnings that are not muted. */
  warnings = $state(0);
  /** When the results were produced (epoch ms); null before the first run. */
  checkedAt = $state<number | null>(null);
  private inflight: Promise<DiagnosticsRun> | null = null;

  accept(run: Pick<DiagnosticsRun, 'summary' | 'at'>): void {
    this.failing = run.summary.failed;
    this.warnings = run.summary.warning;
    this.checkedAt = run.at;
  }

  /** Runs every check; callers while a run is under way share it (one run, one log entry). */
  run(): Promise<DiagnosticsRun> {
    this.inflight ??= api.diagnostics
      .run()
      .then((run) => {
        this.accept(run);
        return run;
      })
      .finally(() => (this.inflight = null));
    return this.inflight;
  }

  /** Runs the checks unless results newer than `maxAgeMs` exist. */
  async checkSoon(maxAgeMs = 5 * 60_000): Promise<void> {
    if (this.checkedAt !== null && Date.now() - this.checkedAt < maxAgeMs) return;
    await this.run().catch(() => {});
  }
}

export const health = new HealthStore();
