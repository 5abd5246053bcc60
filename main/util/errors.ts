/**
 * The one error type that crosses every boundary (CLI, IPC, HTTP): a stable code, a
 * user-readable message and a fix hint. Messages never contain secrets.
 */
export type ErrorCode =
  | 'engine-not-installed'
  | 'engine-not-running'
  | 'engine-permission-denied'
  | 'engine-too-old'
  | 'engine-unreachable'
  | 'engine-failed'
  | 'port-in-use'
  | 'image-missing'
  | 'image-pull-failed'
  | 'image-build-failed'
  | 'image-load-failed'
  | 'image-push-failed'
  | 'settings-invalid'
  | 'invalid-input'
  | 'not-found'
  | 'cluster-not-running'
  | 'redis-unavailable'
  | 'timeout'
  | 'cancelled'
  | 'internal';

export class GuildhallError extends Error {
  override readonly name = 'GuildhallError';
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly hint?: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
  }

  toJSON(): SerializedError {
    return { code: this.code, message: this.message, hint: this.hint, details: this.details };
  }
}

export interface SerializedError {
  code: ErrorCode;
  message: string;
  hint?: string;
  details?: Record<string, unknown>;
}

export function isGuildhallError(err: unknown): err is GuildhallError {
  return err instanceof GuildhallError;
}

/** Wraps anything thrown into a GuildhallError, keeping an existing one as it is. */
export function toGuildhallError(err: unknown, fallback: ErrorCode = 'internal'): GuildhallError {
  if (err instanceof GuildhallError) return err;
  const message = err instanceof Error ? err.message : String(err);
  return new GuildhallError(fallback, message);
}
