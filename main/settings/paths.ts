/**
 * Where Guildhall keeps its files. The Electron app passes its userData folder; the CLI and the
 * browser console use the same per-OS default, so all faces share one set of settings.
 * GUILDHALL_HOME overrides everything.
 */
import os from 'node:os';
import path from 'node:path';

export const APP_DIR_NAME = 'Guildhall';

export function defaultAppDataDir(
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
  home: string = os.homedir(),
): string {
  if (env.GUILDHALL_HOME) return path.resolve(env.GUILDHALL_HOME);
  switch (platform) {
    case 'win32':
      return path.join(env.APPDATA ?? path.join(home, 'AppData', 'Roaming'), APP_DIR_NAME);
    case 'darwin':
      return path.join(home, 'Library', 'Application Support', APP_DIR_NAME);
    default:
      return path.join(env.XDG_CONFIG_HOME ?? path.join(home, '.config'), APP_DIR_NAME);
  }
}

export interface AppPaths {
  root: string;
  settings: string;
  secrets: string;
  logs: string;
}

export function appPaths(root: string): AppPaths {
  return {
    root,
    settings: path.join(root, 'settings.json'),
    secrets: path.join(root, 'secrets.json'),
    logs: path.join(root, 'logs'),
  };
}
