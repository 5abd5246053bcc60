/**
 * Auto-update through electron-updater, from the `publish` feed in electron-builder.yml. Checks
 * only in a packaged app (never from source), at most every few hours, and never throws: being
 * offline or the feed being down is an ordinary "no update today". A downloaded update is never
 * installed by itself: the user is asked, and only "Restart now" installs it (electron-updater
 * checks the installer's signature first: the publisher on Windows, the code signature on macOS).
 * GUILDHALL_DISABLE_UPDATES=1 turns it off (e.g. for managed machines).
 */

export type UpdateCheckOutcome = 'skipped' | 'checked' | 'failed';

export interface UpdaterFacts {
  isPackaged: boolean;
  env: NodeJS.ProcessEnv;
  /** Asks whether to restart into a downloaded update now; false leaves it for later. */
  askToRestart?: (version: string) => Promise<boolean>;
  /** electron-updater's autoUpdater (a fake in tests); loaded on first use when not given. */
  loadUpdater?: () => Promise<AutoUpdaterLike>;
}

/** The part of electron-updater's autoUpdater used here. */
export interface AutoUpdaterLike {
  logger: unknown;
  autoDownload: boolean;
  autoInstallOnAppQuit: boolean;
  listenerCount(event: string): number;
  on(event: 'error', listener: (err: Error) => void): unknown;
  on(event: 'update-downloaded', listener: (info: { version: string }) => void): unknown;
  checkForUpdates(): Promise<unknown>;
  quitAndInstall(): void;
}

async function loadElectronUpdater(): Promise<AutoUpdaterLike> {
  // Loaded only when needed: it pulls in Electron and the update providers.
  const { default: updater } = await import('electron-updater');
  return updater.autoUpdater as unknown as AutoUpdaterLike;
}

export const UPDATE_CHECK_INTERVAL_MS = 6 * 60 * 60_000;

export function shouldCheckForUpdates(facts: UpdaterFacts): boolean {
  if (!facts.isPackaged) return false;
  const off = facts.env.GUILDHALL_DISABLE_UPDATES?.trim().toLowerCase();
  return !off || off === '0' || off === 'false';
}

/** One check; downloads in the background, then asks before restarting into the update. */
export async function checkForUpdates(
  facts: UpdaterFacts,
  log: (message: string) => void = () => {},
): Promise<UpdateCheckOutcome> {
  if (!shouldCheckForUpdates(facts)) return 'skipped';
  try {
    const autoUpdater = await (facts.loadUpdater ?? loadElectronUpdater)();
    autoUpdater.logger = null;
    autoUpdater.autoDownload = true;
    autoUpdater.autoInstallOnAppQuit = false;
    // An 'error' event without a listener would crash the main process.
    if (autoUpdater.listenerCount('error') === 0)
      autoUpdater.on('error', (err: Error) => log(`update check failed: ${err.message}`));
    if (autoUpdater.listenerCount('update-downloaded') === 0) {
      autoUpdater.on('update-downloaded', (info) => {
        void (facts.askToRestart?.(info.version) ?? Promise.resolve(false)).then(
          (restart) => {
            if (restart) autoUpdater.quitAndInstall();
          },
          (err: Error) => log(`update prompt failed: ${err.message}`),
        );
      });
    }
    await autoUpdater.checkForUpdates();
    return 'checked';
  } catch (err) {
    log(`update check failed: ${(err as Error).message}`);
    return 'failed';
  }
}

/** Checks now and then every UPDATE_CHECK_INTERVAL_MS; returns a function that stops it. */
export function scheduleUpdateChecks(
  facts: UpdaterFacts,
  log?: (message: string) => void,
): () => void {
  if (!shouldCheckForUpdates(facts)) return () => {};
  void checkForUpdates(facts, log);
  const timer = setInterval(() => void checkForUpdates(facts, log), UPDATE_CHECK_INTERVAL_MS);
  timer.unref();
  return () => clearInterval(timer);
}
