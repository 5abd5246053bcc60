/**
 * Records every state-changing API call in the audit log, whichever transport it came over:
 * the face is the transport's (MessagePort from the app window → `app`, WebSocket from the
 * browser console → `console`, plain HTTP and in-process callers → `api`), the action is the
 * procedure's path, target and arguments come from audited-procedures.ts. A call that streams
 * (images.ensure) is recorded when its stream ends.
 */
import { os as orpc } from '@orpc/server';
import type { AuditFace } from '../audit/audit-entry';
import { appendAction, auditErrorOf, auditSinkFor, type AuditSink } from '../audit/record';
import { AUDITED_PROCEDURES } from './audited-procedures';
import type { ApiContext, ApiTransport } from './context';

const FACE_OF: Record<ApiTransport, AuditFace> = {
  ipc: 'app',
  websocket: 'console',
  http: 'api',
  'in-process': 'api',
};

export function faceOfTransport(transport: ApiTransport): AuditFace {
  return FACE_OF[transport];
}

function isAsyncIterator(value: unknown): value is AsyncIteratorObject<unknown, unknown, void> {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { next?: unknown }).next === 'function' &&
    Symbol.asyncIterator in value
  );
}

/** Passes a stream through, recording once it finished, failed or was abandoned. */
async function* recordedStream(
  source: AsyncIteratorObject<unknown, unknown, void>,
  record: (error: unknown) => Promise<unknown>,
): AsyncGenerator<unknown, unknown, void> {
  let failure: unknown = null;
  try {
    return yield* source;
  } catch (err) {
    failure = err;
    throw err;
  } finally {
    await record(failure);
  }
}

function plainInput(input: unknown): Record<string, unknown> | undefined {
  return typeof input === 'object' && input !== null && !Array.isArray(input)
    ? (input as Record<string, unknown>)
    : undefined;
}

export const auditMiddleware = orpc
  .$context<ApiContext>()
  .middleware(async ({ context, path, next }, input) => {
    const describe = AUDITED_PROCEDURES[path.join('.')];
    if (!describe) return next();
    const { services } = context;
    const sink: AuditSink = {
      ...auditSinkFor(services.core),
      extraSecrets: () => services.secretList(),
    };
    const described = await describe(plainInput(input), services);
    const action = {
      face: faceOfTransport(context.transport),
      action: path.join('.'),
      ...described,
    };
    const startedAt = Date.now();
    const record = (failure: unknown) =>
      appendAction(
        sink,
        action,
        failure === null ? { outcome: 'ok' } : { outcome: 'error', error: auditErrorOf(failure) },
        startedAt,
      );
    let result: Awaited<ReturnType<typeof next>>;
    try {
      result = await next();
    } catch (err) {
      await record(err);
      throw err;
    }
    if (!isAsyncIterator(result.output)) {
      await record(null);
      return result;
    }
    const output = recordedStream(result.output, record);
    return { ...result, output: output as typeof result.output };
  });
