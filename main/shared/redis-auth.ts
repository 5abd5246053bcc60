/**
 * Whether an error is Redis refusing a password (wrong or missing). The core's queue errors, the
 * diagnostics' Redis check and the worker program all ask this one predicate. No imports: the
 * worker bundle and the browser can include it.
 */

const AUTH_REFUSED = /WRONGPASS|NOAUTH|invalid password|invalid username-password/i;

/** True for Redis's answers to a wrong or missing password; takes an error or its message. */
export function isRedisAuthError(err: unknown): boolean {
  const message =
    typeof err === 'string' ? err : ((err as { message?: unknown })?.message ?? String(err));
  return AUTH_REFUSED.test(String(message));
}
