/**
 * Picks how the page reaches the API: over Electron IPC when the preload's `window.guildhall`
 * bridge is present, else over a WebSocket to the console server that served the page, with the
 * token from the URL (kept in sessionStorage and stripped from the address bar).
 */
import type { ClientContext, ClientLink } from '@orpc/client';
import { DynamicLink } from '@orpc/client';
import { RPCLink as MessagePortLink } from '@orpc/client/message-port';
import { RPCLink as WebSocketLink } from '@orpc/client/websocket';
import { WEB_CONSOLE, type GuildhallBridge } from '@shared/schemas/transport';

declare global {
  interface Window {
    guildhall?: GuildhallBridge;
  }
}

export type TransportKind = 'ipc' | 'websocket';

export function transportKind(): TransportKind {
  return window.guildhall?.transport === 'ipc' ? 'ipc' : 'websocket';
}

/**
 * Whether this page is the desktop app's window (IPC) rather than the browser console: settings
 * that only the desktop app acts on — opening at login, what quitting does — show only there.
 */
export function isDesktopApp(): boolean {
  return transportKind() === 'ipc';
}

function ipcLink(bridge: GuildhallBridge): ClientLink<ClientContext> {
  const { port1, port2 } = new MessageChannel();
  // A file:// page has the opaque origin "null"; the message only goes to this same window.
  window.postMessage(bridge.apiPortMessage, '*', [port2]);
  port1.start();
  return new MessagePortLink({ port: port1 });
}

/** The console token: from `?token=` (then stored and removed from the URL) or this tab's storage. */
export function takeConsoleToken(): string | null {
  const url = new URL(window.location.href);
  const fromUrl = url.searchParams.get(WEB_CONSOLE.tokenParam);
  if (fromUrl) {
    sessionStorage.setItem(WEB_CONSOLE.tokenStorageKey, fromUrl);
    sessionStorage.removeItem(WEB_CONSOLE.resumeMarkKey);
    url.searchParams.delete(WEB_CONSOLE.tokenParam);
    window.history.replaceState(window.history.state, '', url.pathname + url.search + url.hash);
    return fromUrl;
  }
  return sessionStorage.getItem(WEB_CONSOLE.tokenStorageKey);
}

function webSocketUrl(token: string | null): string {
  const url = new URL(WEB_CONSOLE.websocketPath, window.location.href);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  if (token) url.searchParams.set(WEB_CONSOLE.tokenParam, token);
  return url.toString();
}

/** Keeps a rotated console token (app.rotateConsoleToken) for this tab's next connection. */
export function keepConsoleToken(consoleUrl: string): void {
  const token = new URL(consoleUrl).searchParams.get(WEB_CONSOLE.tokenParam);
  if (token) sessionStorage.setItem(WEB_CONSOLE.tokenStorageKey, token);
}

/**
 * A WebSocket link that opens a new socket when the previous one closed (server restart, sleep,
 * a rotated token), with the token this tab holds at that moment.
 */
function webSocketLink(firstToken: string | null): ClientLink<ClientContext> {
  let socket: WebSocket | null = null;
  let link: ClientLink<ClientContext> | null = null;
  return new DynamicLink(() => {
    if (
      !socket ||
      !link ||
      socket.readyState === WebSocket.CLOSING ||
      socket.readyState === WebSocket.CLOSED
    ) {
      const token = sessionStorage.getItem(WEB_CONSOLE.tokenStorageKey) ?? firstToken;
      socket = new WebSocket(webSocketUrl(token));
      link = new WebSocketLink({ websocket: socket });
    }
    return link;
  });
}

export function createLink(): ClientLink<ClientContext> {
  const bridge = window.guildhall;
  return bridge?.transport === 'ipc' ? ipcLink(bridge) : webSocketLink(takeConsoleToken());
}
