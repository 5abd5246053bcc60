/**
 * Auto-update through electron-updater, from the `publish` feed in electron-builder.yml. Checks
 * only in a packaged app (never from source), at most every few hours, and never throws: being
 * offline or the feed being down is an ordinary "no update today".
 * GUILDHALL_DISABLE_UPDATES=1 turns it off (e.g. for managed machines).
 */

export type UpdateCheckOutcome = 'skipped' | 'checked' | 'failed';

export interface UpdaterFacts {
  isPackaged: boolean;
  env: NodeJS.ProcessEnv;
}

export const UPDATE_CHECK_INTERVAL_MS = 6 * 60 * 60_000;

export function shouldCheckForUpdates(facts: UpdaterFacts): boolean {
  if (!facts.isPackaged) return false;
  const off = facts.env.GUILDHALL_DISABLE_UPDATES?.trim().toLowerCase();
  return !off || off === '0' || off === 'false';
}

/** One check; downloads in the background and installs on quit when there is an update. */
export async function checkForUpdates(
  facts: UpdaterFacts,
  log: (message: string) => void = () => {},
): Promise<UpdateCheckOutcome> {
  if (!shouldCheckForUpdates(facts)) return 'skipped';
  try {
    // Loaded only when needed: it pulls in Electron and the update providers.
    const { default: updater } = await import('electron-updater');
    const { autoUpdater } = updater;
    autoUpdater.logger = null;
    autoUpdater.autoDownload = true;
    autoUpdater.autoInstallOnAppQuit = true;
    // An 'error' event without a listener would crash the main process.
    if (autoUpdater.listenerCount('error') === 0)
      autoUpdater.on('error', (err: Error) => log(`update check failed: ${err.message}`));
    await autoUpdater.checkForUpdatesAndNotify();
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
