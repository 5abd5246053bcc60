/**
 * Where the desktop app finds its parts, packaged or run from the repository. Pure: index.ts
 * passes Electron's facts (app.isPackaged, process.resourcesPath, app.getAppPath()).
 *
 *   packaged                              from the repo (electron-vite dev / preview)
 *   <resources>/worker                    resources/worker
 *   <resources>/icons                     resources/icons
 *   app.asar/out/renderer/index.html      out/renderer/index.html, or ELECTRON_RENDERER_URL
 */
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { isLoopbackDevServerUrl } from './security';

export interface ShellLocationFacts {
  isPackaged: boolean;
  /** process.resourcesPath */
  resourcesPath: string;
  /** app.getAppPath(): the repo root from source, app.asar when packaged. */
  appPath: string;
  /** Folder of the built main entry (out/main). */
  mainDir: string;
  env: NodeJS.ProcessEnv;
}

export type RendererEntry = { kind: 'url'; url: string } | { kind: 'file'; file: string };

/** The worker image context (Dockerfile + the bundled worker program) for createCore. */
export function workerContextDir(facts: ShellLocationFacts): string {
  return facts.isPackaged
    ? path.join(facts.resourcesPath, 'worker')
    : path.join(facts.appPath, 'resources', 'worker');
}

/** The folder holding tray/ and app/ icons. */
export function iconsDir(facts: ShellLocationFacts): string {
  return facts.isPackaged
    ? path.join(facts.resourcesPath, 'icons')
    : path.join(facts.appPath, 'resources', 'icons');
}

export function windowIconPath(facts: ShellLocationFacts): string {
  return path.join(iconsDir(facts), 'app', 'icon-256.png');
}

export function preloadPath(facts: ShellLocationFacts): string {
  return path.join(facts.mainDir, '..', 'preload', 'index.cjs');
}

export function rendererDir(facts: ShellLocationFacts): string {
  return path.join(facts.mainDir, '..', 'renderer');
}

/** file:// URL of the renderer folder, with a trailing slash (for isAppPageUrl). */
export function rendererDirUrl(facts: ShellLocationFacts): string {
  return `${pathToFileURL(rendererDir(facts)).href}/`;
}

/** The dev server URL, only when running from source and only on loopback. */
export function devServerUrl(facts: ShellLocationFacts): string | undefined {
  const url = facts.env.ELECTRON_RENDERER_URL;
  if (facts.isPackaged || !url || !isLoopbackDevServerUrl(url)) return undefined;
  return url;
}

export function rendererEntry(facts: ShellLocationFacts): RendererEntry {
  const dev = devServerUrl(facts);
  if (dev) return { kind: 'url', url: dev };
  return { kind: 'file', file: path.join(rendererDir(facts), 'index.html') };
}

/**
 * Whether this launch should stay in the tray: started at login (Windows/Linux get the
 * `--hidden` argument from the login item; macOS reports it) or asked for explicitly.
 */
export function launchHidden(argv: readonly string[], openedAtLogin: boolean): boolean {
  return openedAtLogin || argv.includes('--hidden');
}
