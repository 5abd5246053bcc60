/**
 * The renderer's typed API client. Its type comes from the shared contract, so every call's
 * input, output and error data are checked at compile time:
 *
 *   import { api, apiErrorOf } from './lib/api/client';
 *   const status = await api.cluster.status();
 *   for await (const event of await api.events.subscribe({ topics: ['cluster-state'] })) …
 */
import { createORPCClient, isDefinedError, ORPCError } from '@orpc/client';
import type { ApiClient, ApiErrorData } from '@shared/contract';
import { createLink, transportKind } from './transport';

export const transport = transportKind();

export const api: ApiClient = createORPCClient(createLink());

/** Any failure of an API call as { code, message, hint } (network failures included). */
export function apiErrorOf(err: unknown): ApiErrorData {
  if (err instanceof ORPCError && isDefinedError(err)) return err.data as ApiErrorData;
  if (err instanceof ORPCError) {
    return { code: 'internal', message: err.message || 'The request failed.' };
  }
  return {
    code: 'internal',
    message: 'Guildhall could not be reached.',
    hint:
      transport === 'ipc'
        ? 'Restart Guildhall.'
        : 'Check that `guildhall console` is still running, then reload this page.',
  };
}

export type { ApiClient, ApiErrorData };
export type {
  ApiClusterStatus,
  ApiErrorCode,
  ApiEvent,
  ApiInputs,
  ApiLogLine,
  ApiOutputs,
  ApiSettings,
} from '@shared/contract';
