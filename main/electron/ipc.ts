/**
 * The API over Electron IPC. The page creates a MessageChannel and posts one end to the preload
 * (window.postMessage — contextBridge cannot carry ports), which forwards it on API_PORT_CHANNEL;
 * here that port (a MessagePortMain) is served with the same handler as every other transport.
 * Only ports sent by this window's own top frame are accepted. A reload sends a new port; the
 * old one closes with the old page.
 */
import { ipcMain, type BrowserWindow, type IpcMainEvent } from 'electron';
import type { ApiServices } from '../api/context';
import { createApiHandlers, type ApiHandlers } from '../api/handlers';
import { API_PORT_CHANNEL } from '@shared/schemas/transport';
import { serveApiOnPort } from '../api/transports/message-port';

export interface AttachApiOptions {
  /** Shared by all windows; created when not given. */
  handlers?: ApiHandlers;
  /** Extra check of the sending page's URL (e.g. the app's own pages only). */
  isAppPage?: (url: string) => boolean;
}

/** Serves the API to this window's page; returns a function that stops serving new ports. */
export function attachApi(
  window: BrowserWindow,
  services: ApiServices,
  options: AttachApiOptions = {},
): () => void {
  const handlers = options.handlers ?? createApiHandlers();
  const contents = window.webContents;
  const listener = (event: IpcMainEvent) => {
    if (event.sender !== contents || event.senderFrame !== contents.mainFrame) return;
    if (options.isAppPage && !options.isAppPage(event.senderFrame.url)) return;
    const [port] = event.ports;
    if (!port) return;
    serveApiOnPort(handlers, port, { services, transport: 'ipc' });
  };
  ipcMain.on(API_PORT_CHANNEL, listener);
  const detach = () => {
    ipcMain.removeListener(API_PORT_CHANNEL, listener);
  };
  window.once('closed', detach);
  return detach;
}
