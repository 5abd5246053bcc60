/**
 * Which names mark a secret (settings keys, env variables, log fields, action arguments). Lives
 * in util so every layer asks the same rule: the app log and support bundle (diagnostics) and
 * the audit log (audit) both redact by it.
 */

/** Keys whose values are treated as secrets wherever they appear (settings, env, log fields). */
export const SECRET_KEY_PATTERN =
  /pass(word|wd|phrase)?|secret|token|auth|credential|api[-_]?key|private[-_]?key|cookie|session/i;

export function isSecretKey(key: string): boolean {
  return SECRET_KEY_PATTERN.test(key);
}
