/**
 * The implementer every procedure is built from: the contract, the API context, and the error
 * middleware that sends every failure — thrown, failed validation, or raised mid-stream — as
 * the contract's typed error (see ../errors.ts), and the audit middleware that records every
 * state-changing call (see ../audit-middleware.ts).
 */
import { mapEventIterator } from '@orpc/client';
import { implement } from '@orpc/server';
import { apiContract } from '@shared/contract';
import { auditMiddleware } from '../audit-middleware';
import type { ApiContext } from '../context';
import { toApiError } from '../errors';

const implementer = implement(apiContract).$context<ApiContext>();

function isAsyncIterator(value: unknown): value is AsyncIteratorObject<unknown, unknown, void> {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { next?: unknown }).next === 'function' &&
    Symbol.asyncIterator in value
  );
}

const mapErrors = implementer.middleware(async ({ context, next }) => {
  try {
    const result = await next();
    if (!isAsyncIterator(result.output)) return result;
    const output = mapEventIterator(result.output, {
      value: async (value) => value,
      error: async (err) => toApiError(err, await context.services.errorOptions()),
    });
    return { ...result, output: output as typeof result.output };
  } catch (err) {
    throw toApiError(err, await context.services.errorOptions());
  }
});

/** Errors are mapped outermost; the audit sees each state-changing call's own outcome. */
export const os = implementer.use(mapErrors).use(auditMiddleware);
