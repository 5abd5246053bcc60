/**
 * "Start at login". macOS and Windows have Electron's app.setLoginItemSettings; Linux has no
 * such API, so the app writes an XDG autostart entry (~/.config/autostart/guildhall.desktop)
 * itself. Electron-free: index.ts passes `app.setLoginItemSettings` in. Launched at login, the
 * app starts in the tray (`--hidden`).
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

export const HIDDEN_ARG = '--hidden';
export const AUTOSTART_FILE_NAME = 'guildhall.desktop';

export interface LoginItemFacts {
  platform: NodeJS.Platform;
  /** process.execPath */
  execPath: string;
  env: NodeJS.ProcessEnv;
  home?: string;
  /** Electron's app.setLoginItemSettings (macOS, Windows). */
  setLoginItemSettings: (settings: { openAtLogin: boolean; args?: string[] }) => void;
}

export function autostartDir(env: NodeJS.ProcessEnv, home: string = os.homedir()): string {
  return path.join(env.XDG_CONFIG_HOME || path.join(home, '.config'), 'autostart');
}

/** The command that starts this app: the AppImage file itself when run from one. */
export function launchCommand(execPath: string, env: NodeJS.ProcessEnv): string {
  return env.APPIMAGE || execPath;
}

/** Quotes an Exec= argument per the Desktop Entry spec. */
function desktopExecArg(arg: string): string {
  if (!/[\s"'\\$`]/.test(arg)) return arg;
  return `"${arg.replace(/(["`$\\])/g, '\\$1')}"`;
}

export function autostartDesktopEntry(command: string): string {
  return [
    '[Desktop Entry]',
    'Type=Application',
    'Name=Guildhall',
    'Comment=Local task-processing cluster',
    `Exec=${desktopExecArg(command)} ${HIDDEN_ARG}`,
    'Terminal=false',
    'X-GNOME-Autostart-enabled=true',
    '',
  ].join('\n');
}

/** Turns start-at-login on or off for the current user. */
export async function applyStartAtLogin(enabled: boolean, facts: LoginItemFacts): Promise<void> {
  if (facts.platform === 'darwin' || facts.platform === 'win32') {
    facts.setLoginItemSettings({ openAtLogin: enabled, args: [HIDDEN_ARG] });
    return;
  }
  const file = path.join(autostartDir(facts.env, facts.home), AUTOSTART_FILE_NAME);
  if (!enabled) {
    await fs.rm(file, { force: true });
    return;
  }
  await fs.mkdir(path.dirname(file), { recursive: true });
  await fs.writeFile(file, autostartDesktopEntry(launchCommand(facts.execPath, facts.env)), 'utf8');
}
