/**
 * The console window and the locks on it: a sandboxed, context-isolated renderer with only the
 * preload's API, a strict CSP, no navigation away from the app, no new windows, links opened in
 * the user's browser (http/https only), permission requests denied. Closing hides it to the
 * tray. The packaged renderer is served on the app's own scheme (app-protocol.ts) with the CSP
 * as a response header. The decisions themselves live in security.ts and app-locations.ts.
 */
import { BrowserWindow, nativeTheme, shell, type Session, type WebContents } from 'electron';
import {
  devServerUrl,
  preloadPath,
  rendererDir,
  rendererEntry,
  windowIconPath,
  type ShellLocationFacts,
} from './app-locations';
import { APP_ENTRY_URL, APP_SCHEME, appProtocolResponse } from './app-protocol';
import { contentSecurityPolicy, externalUrl, isAppPageUrl, isPermissionGranted } from './security';

export interface AppPageScope {
  devServerUrl?: string | undefined;
}

export function appPageScope(facts: ShellLocationFacts): AppPageScope {
  return { devServerUrl: devServerUrl(facts) };
}

/** Serves the built renderer on guildhall://app/ in this session, with the strict CSP. */
export function serveRenderer(session: Session, facts: ShellLocationFacts): void {
  const dir = rendererDir(facts);
  const csp = contentSecurityPolicy();
  session.protocol.handle(APP_SCHEME, (request) => appProtocolResponse(request.url, dir, csp));
}

/** Pages of the console the shell can open directly (hash routes of the renderer). */
export const CONSOLE_PAGES = {
  dashboard: '#/',
  troubleshoot: '#/troubleshoot',
  setup: '#/setup',
} as const;
export type ConsolePage = keyof typeof CONSOLE_PAGES;

/** CSP header on the app's own pages, permission requests denied. */
export function hardenSession(session: Session, scope: AppPageScope): void {
  const csp = contentSecurityPolicy(scope.devServerUrl);
  session.webRequest.onHeadersReceived((details, callback) => {
    if (!isAppPageUrl(details.url, scope)) {
      callback({});
      return;
    }
    const headers = { ...details.responseHeaders };
    for (const name of Object.keys(headers)) {
      if (name.toLowerCase() === 'content-security-policy') delete headers[name];
    }
    headers['Content-Security-Policy'] = [csp];
    callback({ responseHeaders: headers });
  });
  session.setPermissionRequestHandler((contents, permission, callback, details) => {
    const url = details.requestingUrl || contents.getURL();
    callback(isPermissionGranted(permission, isAppPageUrl(url, scope)));
  });
  session.setPermissionCheckHandler((contents, permission, _origin, details) => {
    const url = details.requestingUrl || contents?.getURL() || '';
    return isPermissionGranted(permission, isAppPageUrl(url, scope));
  });
}

function openInBrowser(url: string): void {
  const safe = externalUrl(url);
  if (safe) void shell.openExternal(safe).catch(() => undefined);
}

const guarded = new WeakSet<WebContents>();

/** No navigation, no redirects away, no new windows, no <webview>, for any web contents. */
export function guardWebContents(contents: WebContents, scope: AppPageScope): void {
  if (guarded.has(contents)) return; // once: a link must open in the browser only once
  guarded.add(contents);
  contents.on('will-navigate', (event, url) => {
    event.preventDefault();
    if (!isAppPageUrl(url, scope)) openInBrowser(url);
  });
  contents.on('will-redirect', (event, url) => {
    if (!isAppPageUrl(url, scope)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    openInBrowser(url);
    return { action: 'deny' };
  });
}

export interface MainWindowOptions {
  facts: ShellLocationFacts;
  /** Show once loaded (false when started in the tray at login). */
  show: boolean;
  /** True while the app is quitting: closing then really closes. */
  isQuitting: () => boolean;
}

export function createMainWindow(options: MainWindowOptions): BrowserWindow {
  const { facts } = options;
  const window = new BrowserWindow({
    width: 1200,
    height: 800,
    minWidth: 880,
    minHeight: 560,
    show: false,
    title: 'Guildhall',
    icon: process.platform === 'darwin' ? undefined : windowIconPath(facts),
    backgroundColor: nativeTheme.shouldUseDarkColors ? '#14202a' : '#f6f7f9',
    autoHideMenuBar: true,
    webPreferences: {
      preload: preloadPath(facts),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      spellcheck: false,
      devTools: !facts.isPackaged,
    },
  });
  guardWebContents(window.webContents, appPageScope(facts));

  window.once('ready-to-show', () => {
    if (options.show) window.show();
  });
  window.on('close', (event) => {
    if (options.isQuitting()) return;
    event.preventDefault();
    window.hide();
  });

  const entry = rendererEntry(facts);
  const load = window.loadURL(entry.kind === 'url' ? entry.url : APP_ENTRY_URL);
  void load.catch(() => undefined); // a failed load shows an empty window, not a crash
  return window;
}

export function showWindow(window: BrowserWindow): void {
  if (window.isMinimized()) window.restore();
  if (!window.isVisible()) window.show();
  window.focus();
}

/** Shows the window on a page (the renderer routes on the location hash). */
export function showPage(window: BrowserWindow, page: ConsolePage): void {
  showWindow(window);
  const hash = CONSOLE_PAGES[page];
  const go = () =>
    void window.webContents
      .executeJavaScript(`location.hash = ${JSON.stringify(hash)}`)
      .catch(() => undefined);
  if (window.webContents.isLoading()) window.webContents.once('did-finish-load', go);
  else go();
}
