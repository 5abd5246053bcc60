/** Removes secrets from text before it is logged, shown or bundled. */
export const REDACTED = '«redacted»';

export function redact(text: string, secrets: readonly (string | null | undefined)[]): string {
  let out = text;
  for (const secret of secrets) {
    if (secret && secret.length >= 4) out = out.split(secret).join(REDACTED);
  }
  // Passwords embedded in URLs (redis://:pw@host, tcp://user:pw@host).
  return out.replace(/(\b[a-z][a-z0-9+.-]*:\/\/[^/\s:@]*:)[^@\s/]+@/gi, `$1${REDACTED}@`);
}
