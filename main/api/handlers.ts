/**
 * The API served over each transport from one StandardHandler: HTTP (node:http), WebSocket
 * (ws) and MessagePort (Electron IPC). Errors raised before any procedure runs — an unknown
 * procedure, an unreadable or oversized body — leave through the same mapping as the rest
 * (../errors.ts), so every client sees { code, message, hint }.
 */
import type { ORPCError } from '@orpc/client';
import { StandardRPCJsonSerializer, StandardRPCSerializer } from '@orpc/client/standard';
import { MessagePortHandler } from '@orpc/server/message-port';
import { BodyLimitPlugin, NodeHttpHandler } from '@orpc/server/node';
import { StandardHandler, StandardRPCCodec, StandardRPCMatcher } from '@orpc/server/standard';
import { WsHandler } from '@orpc/server/ws';
import type { ApiContext } from './context';
import { toApiError, unknownProcedureError } from './errors';
import { apiRouter } from './router';

/** Largest request body accepted over HTTP or WebSocket (job data may be 512 KiB). */
export const MAX_REQUEST_BYTES = 2 * 1024 * 1024;

class ApiCodec extends StandardRPCCodec {
  override encodeError(error: ORPCError<string, unknown>) {
    return super.encodeError(toApiError(error));
  }
}

export interface ApiHandlers {
  http: NodeHttpHandler<ApiContext>;
  ws: WsHandler<ApiContext>;
  port: MessagePortHandler<ApiContext>;
}

export function createApiHandlers(): ApiHandlers {
  const codec = new ApiCodec(new StandardRPCSerializer(new StandardRPCJsonSerializer()));
  const standard = new StandardHandler<ApiContext>(apiRouter, new StandardRPCMatcher(), codec, {
    interceptors: [
      async (options) => {
        const result = await options.next();
        if (result.matched) return result;
        const path = options.request.url.pathname
          .slice(options.prefix?.length ?? 0)
          .replace(/^\/+/, '')
          .replaceAll('/', '.');
        return { matched: true, response: codec.encodeError(unknownProcedureError(path)) };
      },
    ],
  });
  return {
    http: new NodeHttpHandler(standard, {
      plugins: [new BodyLimitPlugin({ maxBodySize: MAX_REQUEST_BYTES })],
    }),
    ws: new WsHandler(standard),
    port: new MessagePortHandler(standard),
  };
}
