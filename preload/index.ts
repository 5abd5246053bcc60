/**
 * The preload exposes only `window.guildhall` — a frozen marker saying the API is reachable over
 * IPC — and forwards the page's MessagePort to the main process (contextBridge cannot pass
 * ports, so the page posts it with window.postMessage). Nothing else crosses.
 */
import { contextBridge, ipcRenderer } from 'electron';
import {
  API_PORT_CHANNEL,
  API_PORT_MESSAGE,
  type GuildhallBridge,
} from '@shared/schemas/transport';

type Transfer = NonNullable<Parameters<typeof ipcRenderer.postMessage>[2]>;

/** The page's window, typed here because the preload is checked without the DOM library. */
interface PageWindow {
  addEventListener(
    type: 'message',
    listener: (event: { source: unknown; data: unknown; ports: Transfer }) => void,
  ): void;
}
const page = globalThis as unknown as PageWindow;

page.addEventListener('message', (event) => {
  if (event.source !== page || event.data !== API_PORT_MESSAGE) return;
  const [port] = event.ports;
  if (port) ipcRenderer.postMessage(API_PORT_CHANNEL, null, [port]);
});

const bridge: GuildhallBridge = { transport: 'ipc', apiPortMessage: API_PORT_MESSAGE };
contextBridge.exposeInMainWorld('guildhall', Object.freeze(bridge));
