/**
 * The typed API client over each real transport: a paired in-process MessageChannel (what the
 * Electron preload hands the main process) and a WebSocket to a running console server.
 */
import { MessageChannel } from 'node:worker_threads';
import { createORPCClient, ORPCError } from '@orpc/client';
import { RPCLink as MessagePortLink } from '@orpc/client/message-port';
import { RPCLink as WebSocketLink } from '@orpc/client/websocket';
import WebSocket from 'ws';
import type { ApiClient, ApiErrorData } from '../../../main/shared/contract';
import type { ApiServices } from '../../../main/api/context';
import { createApiHandlers } from '../../../main/api/handlers';
import { serveApiOnPort } from '../../../main/api/transports/message-port';

export interface TransportClient {
  name: 'ipc' | 'websocket';
  client: ApiClient;
  close(): void;
}

export function messagePortClient(services: ApiServices): TransportClient {
  const channel = new MessageChannel();
  serveApiOnPort(createApiHandlers(), channel.port1, { services, transport: 'ipc' });
  return {
    name: 'ipc',
    client: createORPCClient(new MessagePortLink({ port: channel.port2 })),
    close: () => channel.port1.close(),
  };
}

/** Opens a WebSocket (token in the query, as the page does) and waits until it is open. */
export async function webSocketClient(
  origin: string,
  token: string,
  headers: Record<string, string> = {},
): Promise<TransportClient> {
  const url = `${origin.replace(/^http/, 'ws')}/ws?token=${encodeURIComponent(token)}`;
  const socket = new WebSocket(url, { headers });
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('error', reject);
    socket.once('unexpected-response', (_req, res) =>
      reject(new Error(`WebSocket refused with HTTP ${res.statusCode}`)),
    );
  });
  return {
    name: 'websocket',
    client: createORPCClient(
      new WebSocketLink({ websocket: socket as unknown as globalThis.WebSocket }),
    ),
    close: () => socket.close(),
  };
}

/** The error data of a failed call (fails the test if the call succeeded). */
export async function apiErrorOf(
  call: Promise<unknown>,
): Promise<ApiErrorData & { orpcCode: string }> {
  try {
    await call;
  } catch (err) {
    if (err instanceof ORPCError) return { ...(err.data as ApiErrorData), orpcCode: err.code };
    throw err;
  }
  throw new Error('expected the call to fail, but it succeeded');
}
