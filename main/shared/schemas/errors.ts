/**
 * The error every API failure carries as oRPC error data: a stable code, a user-readable
 * message and a fix hint (the GuildhallError shape). Browser-safe: zod only.
 */
import { z } from 'zod';

/** Mirrors ErrorCode in main/util/errors.ts (main/api/contract-checks.ts keeps them equal). */
export const API_ERROR_CODES = [
  'engine-not-installed',
  'engine-not-running',
  'engine-permission-denied',
  'engine-too-old',
  'engine-unreachable',
  'engine-failed',
  'port-in-use',
  'image-missing',
  'image-pull-failed',
  'image-build-failed',
  'image-load-failed',
  'image-push-failed',
  'settings-invalid',
  'invalid-input',
  'not-found',
  'cluster-not-running',
  'redis-unavailable',
  'timeout',
  'cancelled',
  'internal',
] as const;
export type ApiErrorCode = (typeof API_ERROR_CODES)[number];

export const apiErrorDataSchema = z.object({
  code: z.enum(API_ERROR_CODES),
  message: z.string(),
  hint: z.string().optional(),
  /** For invalid input: the paths of the offending fields. */
  fields: z.array(z.string()).optional(),
});
export type ApiErrorData = z.infer<typeof apiErrorDataSchema>;

/** The oRPC error codes the API uses, with their HTTP status; each carries ApiErrorData. */
export const API_ERROR_STATUS = {
  BAD_REQUEST: 400,
  NOT_FOUND: 404,
  TIMEOUT: 408,
  CONFLICT: 409,
  CLIENT_CLOSED_REQUEST: 499,
  INTERNAL_SERVER_ERROR: 500,
  SERVICE_UNAVAILABLE: 503,
} as const;
export type ApiOrpcErrorCode = keyof typeof API_ERROR_STATUS;

type ApiErrorMap = {
  [K in ApiOrpcErrorCode]: {
    status: (typeof API_ERROR_STATUS)[K];
    data: typeof apiErrorDataSchema;
  };
};

/** The error map every procedure declares, so clients see typed `error.data`. */
export const apiErrorMap = Object.fromEntries(
  Object.entries(API_ERROR_STATUS).map(([code, status]) => [
    code,
    { status, data: apiErrorDataSchema },
  ]),
) as ApiErrorMap;

/** Which oRPC error code a Guildhall error code travels as. */
export function orpcCodeFor(code: ApiErrorCode): ApiOrpcErrorCode {
  switch (code) {
    case 'invalid-input':
    case 'settings-invalid':
      return 'BAD_REQUEST';
    case 'not-found':
      return 'NOT_FOUND';
    case 'timeout':
      return 'TIMEOUT';
    case 'port-in-use':
      return 'CONFLICT';
    case 'cancelled':
      return 'CLIENT_CLOSED_REQUEST';
    case 'internal':
      return 'INTERNAL_SERVER_ERROR';
    default:
      return 'SERVICE_UNAVAILABLE';
  }
}
