import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  iconsDir,
  launchHidden,
  preloadPath,
  rendererDirUrl,
  rendererEntry,
  windowIconPath,
  workerContextDir,
  type ShellLocationFacts,
} from '../../main/electron/app-locations';
import { quitDialogOutcome, quitPlan, QUIT_DIALOG_BUTTONS } from '../../main/electron/quit-choice';
import { EventEmitter } from 'node:events';
import {
  checkForUpdates,
  shouldCheckForUpdates,
  type AutoUpdaterLike,
} from '../../main/electron/updater';
import type { TrayPhase } from '../../main/electron/tray-model';

const packaged: ShellLocationFacts = {
  isPackaged: true,
  resourcesPath: '/opt/Guildhall/resources',
  appPath: '/opt/Guildhall/resources/app.asar',
  mainDir: '/opt/Guildhall/resources/app.asar/out/main',
  env: {},
};
const fromRepo: ShellLocationFacts = {
  isPackaged: false,
  resourcesPath: '/repo/node_modules/electron/dist/resources',
  appPath: '/repo',
  mainDir: '/repo/out/main',
  env: {},
};

describe('app locations', () => {
  it('packaged: worker context and icons come from the resources folder, the UI from the asar', () => {
    expect(workerContextDir(packaged)).toBe('/opt/Guildhall/resources/worker');
    expect(iconsDir(packaged)).toBe('/opt/Guildhall/resources/icons');
    expect(windowIconPath(packaged)).toBe('/opt/Guildhall/resources/icons/app/icon-256.png');
    expect(preloadPath(packaged)).toBe('/opt/Guildhall/resources/app.asar/out/preload/index.cjs');
    expect(rendererEntry(packaged)).toEqual({
      kind: 'file',
      file: '/opt/Guildhall/resources/app.asar/out/renderer/index.html',
    });
    expect(rendererDirUrl(packaged)).toBe('file:///opt/Guildhall/resources/app.asar/out/renderer/');
  });

  it('from the repo: resources/worker and resources/icons of the checkout', () => {
    expect(workerContextDir(fromRepo)).toBe(path.join('/repo', 'resources', 'worker'));
    expect(iconsDir(fromRepo)).toBe(path.join('/repo', 'resources', 'icons'));
    expect(preloadPath(fromRepo)).toBe('/repo/out/preload/index.cjs');
    expect(rendererEntry(fromRepo)).toEqual({
      kind: 'file',
      file: '/repo/out/renderer/index.html',
    });
  });

  it('uses ELECTRON_RENDERER_URL only from source and only on loopback', () => {
    const dev = { ...fromRepo, env: { ELECTRON_RENDERER_URL: 'http://localhost:5173' } };
    expect(rendererEntry(dev)).toEqual({ kind: 'url', url: 'http://localhost:5173' });
    const packagedWithEnv = {
      ...packaged,
      env: { ELECTRON_RENDERER_URL: 'http://localhost:5173' },
    };
    expect(rendererEntry(packagedWithEnv).kind).toBe('file');
    const remote = { ...fromRepo, env: { ELECTRON_RENDERER_URL: 'https://evil.example/' } };
    expect(rendererEntry(remote).kind).toBe('file');
  });

  it('starts hidden in the tray when launched at login or with --hidden', () => {
    expect(launchHidden(['/opt/Guildhall/guildhall'], false)).toBe(false);
    expect(launchHidden(['/opt/Guildhall/guildhall', '--hidden'], false)).toBe(true);
    expect(launchHidden(['/Applications/Guildhall.app/Contents/MacOS/Guildhall'], true)).toBe(true);
  });
});

describe('quitPlan', () => {
  const active: TrayPhase[] = ['running', 'degraded', 'starting'];
  const inactive: TrayPhase[] = ['absent', 'stopped', 'no-engine', 'checking', 'error'];

  it('quits at once when nothing is running, whatever the preference', () => {
    for (const phase of inactive)
      for (const onQuit of ['ask', 'stop', 'leave'] as const)
        expect(quitPlan(onQuit, phase)).toBe('quit');
  });

  it('follows the preference when the cluster is up', () => {
    for (const phase of active) {
      expect(quitPlan('ask', phase)).toBe('ask');
      expect(quitPlan('stop', phase)).toBe('stop-then-quit');
      expect(quitPlan('leave', phase)).toBe('quit');
    }
  });
});

describe('quitDialogOutcome', () => {
  it('maps the buttons in order: stop, leave, cancel', () => {
    expect(QUIT_DIALOG_BUTTONS).toEqual(['stop', 'leave', 'cancel']);
    expect(quitDialogOutcome(0, false)).toEqual({ choice: 'stop', remember: null });
    expect(quitDialogOutcome(1, false)).toEqual({ choice: 'leave', remember: null });
    expect(quitDialogOutcome(2, false)).toEqual({ choice: 'cancel', remember: null });
  });

  it('remembers the choice only when the box is ticked, and never a cancel', () => {
    expect(quitDialogOutcome(0, true)).toEqual({ choice: 'stop', remember: 'stop' });
    expect(quitDialogOutcome(1, true)).toEqual({ choice: 'leave', remember: 'leave' });
    expect(quitDialogOutcome(2, true)).toEqual({ choice: 'cancel', remember: null });
  });

  it('treats an unknown response (dialog closed) as cancel', () => {
    expect(quitDialogOutcome(-1, true)).toEqual({ choice: 'cancel', remember: null });
    expect(quitDialogOutcome(7, true)).toEqual({ choice: 'cancel', remember: null });
  });
});

describe('updater', () => {
  it('checks only in a packaged app and not when disabled', () => {
    expect(shouldCheckForUpdates({ isPackaged: false, env: {} })).toBe(false);
    expect(shouldCheckForUpdates({ isPackaged: true, env: {} })).toBe(true);
    expect(
      shouldCheckForUpdates({ isPackaged: true, env: { GUILDHALL_DISABLE_UPDATES: '1' } }),
    ).toBe(false);
    expect(
      shouldCheckForUpdates({ isPackaged: true, env: { GUILDHALL_DISABLE_UPDATES: '0' } }),
    ).toBe(true);
  });

  it('skips from source without loading electron-updater', async () => {
    await expect(checkForUpdates({ isPackaged: false, env: {} })).resolves.toBe('skipped');
  });

  /** electron-updater's autoUpdater at the Electron boundary: a check that finds an update. */
  function fakeUpdater(): AutoUpdaterLike & { installs: number } {
    const emitter = new EventEmitter();
    const fake = Object.assign(emitter, {
      logger: {} as unknown,
      autoDownload: false,
      autoInstallOnAppQuit: true,
      installs: 0,
      async checkForUpdates() {
        emitter.emit('update-downloaded', { version: '9.9.9' });
        return null;
      },
      quitAndInstall() {
        fake.installs++;
      },
    });
    return fake as unknown as AutoUpdaterLike & { installs: number };
  }

  it('never installs by itself: asks, and installs only on "Restart now"', async () => {
    for (const answer of [false, true]) {
      const updater = fakeUpdater();
      const asked: string[] = [];
      const outcome = await checkForUpdates({
        isPackaged: true,
        env: {},
        loadUpdater: async () => updater,
        askToRestart: async (version) => {
          asked.push(version);
          return answer;
        },
      });
      expect(outcome).toBe('checked');
      expect(updater.autoInstallOnAppQuit).toBe(false);
      expect(asked).toEqual(['9.9.9']);
      await new Promise((resolve) => setImmediate(resolve));
      expect(updater.installs).toBe(answer ? 1 : 0);
    }
  });

  it('never throws: a failed check (here: no Electron runtime) resolves as failed and is logged', async () => {
    const lines: string[] = [];
    await expect(
      checkForUpdates({ isPackaged: true, env: {} }, (l) => lines.push(l)),
    ).resolves.toBe('failed');
    expect(lines[0]).toMatch(/^update check failed: /);
  });
});
