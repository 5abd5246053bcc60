/**
 * The desktop shell, put together: the core on the userData folder (shared with the CLI), the hardened console window, the tray fed by the cluster watch (its actions recorded in the audit log), the Prometheus endpoint, notifications for
 * alerts, start-at-login, update checks, and the quit flow (stop the cluster, leave it running,
 * or ask). index.ts creates it once the single-instance lock is held and the app is ready.
 */
import { Notification, app, powerMonitor, session, shell, type BrowserWindow } from 'electron';
import { ApiServices } from '../api/context';
import { monitorMetricsSource } from '../api/monitor-source';
import { createCore, type Core } from '../core';
import { serveMetrics, type ServedMetrics } from '../metrics/serve';
import type { AlertRecord } from '../alerts/alert-record';
import { supervisorDuties } from '../supervisor/duties';
import { Supervisor } from '../supervisor/supervisor';
import { isGuildhallError } from '../util/errors';
import { redact } from '../util/redact';
import { appVersion } from '../version';
import { iconsDir, launchHidden, workerContextDir, type ShellLocationFacts } from './app-locations';
import { ClusterWatch, isClusterAction, trayStateOf, type ClusterView } from './cluster-watch';
import { attachApi } from './ipc';
import { applyStartAtLogin } from './login-item';
import { quitPlan } from './quit-choice';
import { askQuitChoice, askRestartForUpdate, showStopFailed } from './quit-dialog';
import { isAppPageUrl } from './security';
import { TrayController } from './tray';
import { trayOperation } from './tray-operation';
import {
  alertNotificationText,
  resolveTrayLanguage,
  trayText,
  type TrayLanguage,
} from './tray-messages';
import type { TrayAction } from './tray-model';
import { scheduleUpdateChecks } from './updater';
import {
  appPageScope,
  createMainWindow,
  guardWebContents,
  hardenSession,
  serveRenderer,
  showPage,
  showWindow,
} from './window';

export interface ShellAppOptions {
  facts: ShellLocationFacts;
  argv: readonly string[];
}

export class ShellApp {
  readonly core: Core;
  private readonly api: ApiServices;
  private window: BrowserWindow | null = null;
  private tray: TrayController | null = null;
  private readonly watch: ClusterWatch;
  private quitting = false;
  private quitFlow: Promise<void> | null = null;
  private startAtLogin: boolean | null = null;
  private stopUpdates: () => void = () => {};
  private metrics: ServedMetrics | null = null;
  /** Heals the cluster while the app runs (in the tray too), when it holds the cluster's lease. */
  private readonly supervisor: Supervisor;

  constructor(private readonly options: ShellAppOptions) {
    const home = app.getPath('userData');
    // Secrets stay in the same 0600 file the CLI and the browser console use: the cluster's
    // Redis password is shared by every face, and an OS-encrypted copy would lock the CLI out.
    this.core = createCore({
      home,
      version: appVersion(),
      workerContextDir: workerContextDir(options.facts),
    });
    this.api = new ApiServices({
      core: this.core,
      metrics: monitorMetricsSource(this.core),
      openPath: async (file) => {
        const problem = await shell.openPath(file);
        if (problem) throw new Error(problem);
      },
    });
    // Tray actions run in the API's operation queue: one at a time with the console's, and
    // their progress shows in the console.
    this.watch = new ClusterWatch({
      core: this.core,
      operation: trayOperation(this.core, this.api),
      // One alert monitor for the process: the tray's polls and the console's feed the same one.
      alerts: this.api.alerts,
      onStatus: (status) => this.api.offerClusterStatus(status),
    });
    this.supervisor = new Supervisor({
      core: this.core,
      face: 'app',
      duties: supervisorDuties(this.core),
      onStatus: (status) => this.api.offerClusterStatus(status),
    });
  }

  /** Call once, after app.whenReady(). */
  start(): void {
    const { facts } = this.options;
    const scope = appPageScope(facts);
    hardenSession(session.defaultSession, scope);
    serveRenderer(session.defaultSession, facts);
    app.on('web-contents-created', (_event, contents) => guardWebContents(contents, scope));
    if (process.platform === 'win32') app.setAppUserModelId('dev.guildhall.app');

    const openedAtLogin = app.getLoginItemSettings().wasOpenedAtLogin ?? false;
    this.window = createMainWindow({
      facts,
      show: !launchHidden(this.options.argv, openedAtLogin),
      isQuitting: () => this.quitting,
    });
    attachApi(this.window, this.api, { isAppPage: (url) => isAppPageUrl(url, scope) });

    this.tray = new TrayController({
      iconsDir: iconsDir(facts),
      platform: process.platform,
      onAction: (action, pool) => void this.onTrayAction(action, pool),
    });
    this.watch.onView((view) => this.onView(view));
    // Alerts come from the rules the supervisor evaluates (main/alerts), whichever process runs it.
    this.api.onAlertRaised((alert) => this.notifyAlert(alert));
    this.watch.start();
    this.supervisor.start();

    app.on('second-instance', () => this.showConsole());
    app.on('activate', () => this.showConsole());
    // The window only hides; the app lives in the tray until Quit.
    app.on('window-all-closed', () => undefined);
    app.on('before-quit', (event) => {
      if (this.quitting) return;
      event.preventDefault();
      this.quitFlow ??= this.runQuitFlow().finally(() => {
        this.quitFlow = null;
      });
    });

    // The OS is shutting down or logging out: no dialog, the engine stops the containers.
    powerMonitor.on('shutdown', () => {
      this.quitting = true;
      app.quit();
    });

    this.stopUpdates = scheduleUpdateChecks({
      isPackaged: facts.isPackaged,
      env: facts.env,
      // quitAndInstall quits through app.quit, so the quit flow still decides about the cluster.
      askToRestart: (version) => askRestartForUpdate(this.language(), this.window, version),
    });
    // Prometheus metrics on 127.0.0.1 (port in metrics-endpoint.json); the app runs without them.
    void serveMetrics(this.core, { queues: () => this.api.queues() }).then(
      (served) => {
        this.metrics = served;
      },
      () => undefined,
    );
  }

  showConsole(): void {
    if (this.window && !this.window.isDestroyed()) showWindow(this.window);
  }

  private language(): TrayLanguage {
    return resolveTrayLanguage(this.watch.current.prefs?.language ?? 'system', app.getLocale());
  }

  private onView(view: ClusterView): void {
    this.tray?.render(trayStateOf(view, app.getLocale()));
    const wanted = view.prefs?.startAtLogin;
    if (wanted !== undefined && wanted !== this.startAtLogin) {
      this.startAtLogin = wanted;
      void applyStartAtLogin(wanted, {
        platform: process.platform,
        execPath: process.execPath,
        env: process.env,
        setLoginItemSettings: (settings) => app.setLoginItemSettings(settings),
      }).catch(() => {
        this.startAtLogin = null; // try again on the next view
      });
    }
  }

  private async onTrayAction(action: TrayAction, pool?: string): Promise<void> {
    if (action === 'open-console') return this.showConsole();
    if (action === 'troubleshoot' || action === 'setup') {
      if (this.window && !this.window.isDestroyed()) showPage(this.window, action);
      return;
    }
    if (action === 'quit') return app.quit();
    if (!isClusterAction(action)) return;
    try {
      await this.watch.run(action, pool);
    } catch (err) {
      this.notify(trayText(this.language(), 'action.failed'), describeFailure(err));
    }
  }

  private notifyAlert(alert: AlertRecord): void {
    const { title, body } = alertNotificationText(this.language(), alert);
    this.notify(title, body);
  }

  private notify(title: string, body: string): void {
    if (!Notification.isSupported()) return;
    const notification = new Notification({ title, body, silent: false });
    notification.on('click', () => this.showConsole());
    notification.show();
  }

  /** Decides what happens to the cluster, then quits for real. */
  private async runQuitFlow(): Promise<void> {
    const language = this.language();
    await this.watch.idle();
    const view = await withTimeout(this.watch.refresh(), 10_000, this.watch.current);
    const onQuit = view.prefs?.onQuit ?? 'ask';
    const plan = quitPlan(onQuit, view.phase);
    let stop = plan === 'stop-then-quit';
    if (plan === 'ask') {
      const outcome = await askQuitChoice(language, this.window);
      if (outcome.choice === 'cancel') return;
      if (outcome.remember) {
        const remember = outcome.remember;
        await this.core.settings
          .update((current) => ({ ...current, app: { ...current.app, onQuit: remember } }))
          .catch(() => undefined);
      }
      stop = outcome.choice === 'stop';
    }
    // Before the cluster is stopped, so the supervisor does not heal what the quit stops.
    await this.supervisor.stop();
    if (stop) {
      try {
        await this.watch.run('stop');
      } catch (err) {
        await showStopFailed(language, this.window, describeFailure(err));
      }
    }
    this.quitting = true;
    this.stopUpdates();
    await this.watch.stop();
    await this.metrics?.close().catch(() => undefined);
    await this.api.close().catch(() => undefined);
    this.tray?.destroy();
    app.quit();
  }
}

/** A user-readable line for a failed action; never the Redis password. */
function describeFailure(err: unknown): string {
  if (isGuildhallError(err)) {
    return redact(err.hint ? `${err.message} ${err.hint}` : err.message, []);
  }
  return 'Unexpected error; see the console for details.';
}

function withTimeout<T>(promise: Promise<T>, ms: number, fallback: T): Promise<T> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(fallback), ms);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      () => {
        clearTimeout(timer);
        resolve(fallback);
      },
    );
  });
}
