/**
 * The troubleshooting page's controller: runs the checks, runs a fix (progress on the event
 * stream, shown as an operation) and puts the recheck in place, mutes checks, makes the support
 * bundle, and reads the app's own log. Keeps the navigation's health badge current.
 */
import { api, apiErrorOf, type ApiErrorData, type ApiOutputs } from '../api/client';
import { clusterStore } from '../cluster/cluster-store.svelte';
import { operations } from '../operations/operations.svelte';
import { downloadConsoleFile } from './download';
import { health } from './health.svelte';
import {
  withMuted,
  withResult,
  type CheckOutcome,
  type DiagnosticsRun,
  type FixAction,
} from './troubleshoot-model';

export type SupportBundle = ApiOutputs['diagnostics']['bundle'];
export type AppLogTail = ApiOutputs['app']['log']['tail'];
export type AppLogPath = ApiOutputs['app']['log']['path'];

export interface FixState {
  fix: FixAction;
  operationId: string | null;
  running: boolean;
  message: string | null;
  error: ApiErrorData | null;
  /** The recheck's status (null when no check was run again). */
  recheck: CheckOutcome['status'] | null;
}

/** Where a fix was started: a check's row, or the cluster-wide actions. */
export type FixSource = string | 'general';

export class TroubleshootController {
  run = $state.raw<DiagnosticsRun | null>(null);
  running = $state(false);
  error = $state.raw<ApiErrorData | null>(null);
  fixes = $state<Record<FixSource, FixState>>({});
  muting = $state<Record<string, boolean>>({});

  bundle = $state.raw<SupportBundle | null>(null);
  bundling = $state(false);
  bundleError = $state.raw<ApiErrorData | null>(null);
  downloadFailed = $state(false);

  log = $state.raw<AppLogTail | null>(null);
  logPath = $state.raw<AppLogPath | null>(null);
  logLoading = $state(false);
  logError = $state.raw<ApiErrorData | null>(null);

  async check(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      const run = await health.run();
      this.run = run;
      this.error = null;
      // The run wrote its summary to the app log: show it.
      if (this.log) void this.loadLog();
    } catch (err) {
      this.error = apiErrorOf(err);
    } finally {
      this.running = false;
    }
  }

  fixState(source: FixSource): FixState | undefined {
    return this.fixes[source];
  }

  /** Runs a fix for a check (then the check again) or a cluster-wide action. */
  async fix(
    source: FixSource,
    fix: FixAction,
    extra: { confirm?: string; file?: string } = {},
  ): Promise<boolean> {
    const checkId = source === 'general' || fix.id === 'retry' ? undefined : source;
    this.fixes[source] = {
      fix,
      operationId: null,
      running: true,
      message: null,
      error: null,
      recheck: null,
    };
    let operationId = '';
    const result = await operations.run('diagnostics.fix', (id) => {
      operationId = id;
      const state = this.fixes[source];
      if (state) state.operationId = id;
      return api.diagnostics.fix({
        fixId: fix.id,
        ...(checkId ? { checkId } : {}),
        ...(extra.confirm !== undefined ? { confirm: extra.confirm } : {}),
        ...(extra.file ? { file: extra.file } : {}),
        operationId: id,
      });
    });
    const view = operations.list.find((op) => op.id === operationId);
    this.fixes[source] = {
      fix,
      operationId,
      running: false,
      message: result?.outcome.message ?? null,
      error: result ? null : (view?.error ?? { code: 'internal', message: fix.label }),
      recheck: result?.recheck?.status ?? null,
    };
    if (result?.recheck && this.run) {
      this.run = withResult(this.run, result.recheck);
      health.accept(this.run);
    }
    void clusterStore.refresh();
    // Other checks may have changed too (a restarted Redis, recreated workers): check again.
    if (result) void this.check();
    return result !== null;
  }

  async mute(id: string, muted: boolean): Promise<void> {
    this.muting[id] = true;
    try {
      await api.diagnostics.mute({ id, muted });
      if (this.run) {
        this.run = withMuted(this.run, id, muted);
        health.accept(this.run);
      }
    } catch (err) {
      this.error = apiErrorOf(err);
    } finally {
      this.muting[id] = false;
    }
  }

  /* ---------- support bundle ---------- */

  async makeBundle(): Promise<void> {
    this.bundling = true;
    this.bundleError = null;
    this.downloadFailed = false;
    try {
      const bundle = await api.diagnostics.bundle();
      this.bundle = bundle;
      if (bundle.downloadUrl) await this.downloadBundle();
    } catch (err) {
      this.bundleError = apiErrorOf(err);
    } finally {
      this.bundling = false;
    }
  }

  async downloadBundle(): Promise<void> {
    const bundle = this.bundle;
    if (!bundle?.downloadUrl) return;
    try {
      await downloadConsoleFile(bundle.downloadUrl, bundle.fileName);
      this.downloadFailed = false;
    } catch {
      this.downloadFailed = true;
    }
  }

  async openFile(path: string): Promise<void> {
    try {
      await api.app.openPath({ path });
    } catch (err) {
      this.bundleError = apiErrorOf(err);
    }
  }

  /* ---------- app log ---------- */

  async loadLog(lines = 200): Promise<void> {
    this.logLoading = true;
    try {
      const [tail, where] = await Promise.all([
        api.app.log.tail({ lines }),
        this.logPath ? Promise.resolve(this.logPath) : api.app.log.path(),
      ]);
      this.log = tail;
      this.logPath = where;
      this.logError = null;
    } catch (err) {
      this.logError = apiErrorOf(err);
    } finally {
      this.logLoading = false;
    }
  }

  async downloadLog(): Promise<void> {
    const where = this.logPath;
    if (!where) return;
    try {
      if (where.downloadUrl) {
        const name = where.path.split(/[\\/]/).pop() || 'guildhall.log';
        await downloadConsoleFile(where.downloadUrl, name);
      } else if (where.canOpen) {
        await api.app.openPath({ path: where.path });
      }
      this.logError = null;
    } catch (err) {
      this.logError = apiErrorOf(err);
    }
  }
}
