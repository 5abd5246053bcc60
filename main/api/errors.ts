/**
 * The one place where anything thrown inside the API becomes what crosses the boundary: an
 * ORPCError whose data is { code, message, hint }. A GuildhallError keeps its code, message
 * and hint; failed input validation becomes 'invalid-input' naming the fields; anything else
 * becomes 'internal' with a generic message — no stack, no internal message, no secrets.
 */
import { ORPCError, ValidationError } from '@orpc/server';
import { isGuildhallError, type ErrorCode } from '../util/errors';
import { redact } from '../util/redact';
import {
  API_ERROR_CODES,
  apiErrorDataSchema,
  orpcCodeFor,
  type ApiErrorCode,
  type ApiErrorData,
  type ApiOrpcErrorCode,
} from '@shared/schemas/errors';

export type ApiError = ORPCError<ApiOrpcErrorCode, ApiErrorData>;

export interface ToApiErrorOptions {
  /** Secrets to cut out of messages (e.g. the Redis password). */
  secrets?: readonly (string | null | undefined)[];
  /** Told about errors that are not a GuildhallError, for the server's own log. */
  onUnexpected?: (err: unknown) => void;
}

const INTERNAL_MESSAGE = 'Something went wrong inside Guildhall.';
const INTERNAL_HINT =
  'Try again. If it keeps happening, run `guildhall doctor` and report the problem.';

export function apiError(data: ApiErrorData): ApiError {
  return new ORPCError(orpcCodeFor(data.code), {
    defined: true,
    message: data.message,
    data,
  });
}

export function toApiError(err: unknown, options: ToApiErrorOptions = {}): ApiError {
  const secrets = options.secrets ?? [];
  if (isGuildhallError(err)) {
    const fields = err.details?.fields;
    return apiError({
      code: knownCode(err.code),
      message: redact(err.message, secrets),
      ...(err.hint ? { hint: redact(err.hint, secrets) } : {}),
      ...(isStringArray(fields) ? { fields } : {}),
    });
  }
  if (err instanceof ORPCError) {
    const mapped = apiErrorDataSchema.safeParse(err.data);
    if (mapped.success && orpcCodeFor(mapped.data.code) === err.code) {
      return err.defined ? (err as ApiError) : apiError(mapped.data);
    }
    if (err.code === 'BAD_REQUEST' && err.cause instanceof ValidationError) {
      return invalidInput(err.cause.issues);
    }
    if (err.code === 'BAD_REQUEST' || err.code === 'PAYLOAD_TOO_LARGE') {
      // Malformed or oversized request bodies, refused before any procedure ran.
      return apiError({
        code: 'invalid-input',
        message:
          err.code === 'PAYLOAD_TOO_LARGE'
            ? 'The request is too large.'
            : 'The request could not be read.',
        hint: 'Send a smaller, well-formed request.',
      });
    }
    if (err.code === 'ABORTED' || err.code === 'CLIENT_CLOSED_REQUEST') {
      return apiError({ code: 'cancelled', message: 'The request was cancelled.' });
    }
  }
  if (err instanceof Error && err.name === 'AbortError') {
    return apiError({ code: 'cancelled', message: 'The request was cancelled.' });
  }
  options.onUnexpected?.(err);
  return apiError({ code: 'internal', message: INTERNAL_MESSAGE, hint: INTERNAL_HINT });
}

/** The error for a procedure path the API does not have. */
export function unknownProcedureError(path: string): ApiError {
  const shown = path.length > 80 ? `${path.slice(0, 79)}…` : path;
  return apiError({
    code: 'invalid-input',
    message: `There is no API procedure "${shown.replace(/[^\x20-\x7e]/g, '?')}".`,
    hint: 'Update the console; it may be newer or older than this Guildhall.',
  });
}

interface Issue {
  message: string;
  path?: readonly (PropertyKey | { key: PropertyKey })[] | undefined;
}

function invalidInput(issues: readonly Issue[]): ApiError {
  const described = issues.slice(0, 5).map((issue) => {
    const path = pathOf(issue);
    // zod's own messages start with "Invalid input: ", which the sentence already says.
    const message = issue.message.replace(/^Invalid input: /, '');
    return path ? `${path}: ${message}` : message;
  });
  const more = issues.length > 5 ? ` (and ${issues.length - 5} more)` : '';
  return apiError({
    code: 'invalid-input',
    message: `Invalid input: ${described.join('; ')}${more}.`,
    hint: 'Correct the named field and try again.',
    fields: issues.map((issue) => pathOf(issue) || '(input)'),
  });
}

function pathOf(issue: Issue): string {
  return (issue.path ?? [])
    .map((segment) => String(typeof segment === 'object' ? segment.key : segment))
    .join('.');
}

function knownCode(code: ErrorCode): ApiErrorCode {
  return (API_ERROR_CODES as readonly string[]).includes(code)
    ? (code as ApiErrorCode)
    : 'internal';
}

function isStringArray(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((item) => typeof item === 'string');
}
