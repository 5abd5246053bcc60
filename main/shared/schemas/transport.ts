/**
 * Names both ends of each transport agree on: the Electron IPC handshake and the browser
 * console's paths and token storage. Browser-safe: no imports.
 */

/** IPC channel on which the preload hands the main process the server end of a MessagePort. */
export const API_PORT_CHANNEL = 'guildhall:api-port';
/** window.postMessage data with which the page hands the preload that port. */
export const API_PORT_MESSAGE = 'guildhall:api-port';

/** What the preload exposes as `window.guildhall` (data only, frozen). */
export interface GuildhallBridge {
  transport: 'ipc';
  apiPortMessage: typeof API_PORT_MESSAGE;
}

export const WEB_CONSOLE = {
  /** HTTP API (POST) prefix. */
  apiPrefix: '/api',
  /** WebSocket endpoint; the token goes in the `token` query parameter. */
  websocketPath: '/ws',
  tokenParam: 'token',
  /** sessionStorage key under which the page keeps the token after stripping it from the URL. */
  tokenStorageKey: 'guildhall.console.token',
  /** sessionStorage key marking a token already tried by the reload helper. */
  resumeMarkKey: 'guildhall.console.resumed',
} as const;
