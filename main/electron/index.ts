/**
 * The desktop app's entry (electron-vite builds it to out/main/index.js). Holds the
 * single-instance lock — a second launch only brings the running app's window forward — and
 * starts the shell once Electron is ready. Everything else is in shell-app.ts.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { app, protocol } from 'electron';
import { APP_SCHEME_PRIVILEGES } from './app-protocol';
import { ShellApp } from './shell-app';

// Before ready, as Electron requires: the renderer's own scheme (app-protocol.ts).
protocol.registerSchemesAsPrivileged([APP_SCHEME_PRIVILEGES]);

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  void app.whenReady().then(() => {
    const shell = new ShellApp({
      facts: {
        isPackaged: app.isPackaged,
        resourcesPath: process.resourcesPath,
        appPath: app.getAppPath(),
        mainDir: path.dirname(fileURLToPath(import.meta.url)),
        env: process.env,
      },
      argv: process.argv,
    });
    shell.start();
  });
}
