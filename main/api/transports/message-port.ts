/**
 * Serves the API on one end of a MessageChannel: Electron's MessagePortMain in the main process,
 * or a node:worker_threads MessagePort in tests. Nothing Electron-specific lives here.
 */
import type { SupportedMessagePort } from '@orpc/client/message-port';
import type { ApiContext } from '../context';
import type { ApiHandlers } from '../handlers';

export interface ServablePort {
  start?: () => void;
}

export function serveApiOnPort(
  handlers: ApiHandlers,
  port: SupportedMessagePort & ServablePort,
  context: ApiContext,
): void {
  handlers.port.upgrade(port, { context });
  // Electron's MessagePortMain (and a DOM MessagePort) queue messages until started.
  port.start?.();
}
