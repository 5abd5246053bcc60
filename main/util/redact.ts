/**
 * Removes secrets from text before it is logged, shown or bundled. Runs on the main thread over
 * log lines and bundle entries, so it is linear in the text's length whatever the text holds.
 */
export const REDACTED = '«redacted»';

// `://` + userinfo up to `@`. Neither part can hold a `/`, so each attempt stops before the next
// `://` and the scan stays linear; the scheme before it is checked by hand (see hasScheme).
const URL_USERINFO = /:\/\/([^/\s:@]*):([^@\s/]+)@/g;

const isSchemeChar = (c: number) =>
  (c >= 97 && c <= 122) ||
  (c >= 65 && c <= 90) ||
  (c >= 48 && c <= 57) ||
  c === 43 ||
  c === 45 ||
  c === 46; // a-z A-Z 0-9 + - .
const isLetter = (c: number) => (c >= 97 && c <= 122) || (c >= 65 && c <= 90);
const isWordChar = (c: number) => isLetter(c) || (c >= 48 && c <= 57) || c === 95;

/**
 * Whether a URL scheme ends at `end` (where `://` starts): a run of scheme characters holding a
 * letter at a word start. Walks back over that run only.
 */
function hasScheme(text: string, end: number): boolean {
  let start = end;
  while (start > 0 && isSchemeChar(text.charCodeAt(start - 1))) start--;
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    if (isLetter(c) && (i === 0 || !isWordChar(text.charCodeAt(i - 1)))) return true;
  }
  return false;
}

export function redact(text: string, secrets: readonly (string | null | undefined)[]): string {
  let out = text;
  for (const secret of secrets) {
    if (secret && secret.length >= 4) out = out.split(secret).join(REDACTED);
  }
  // Passwords embedded in URLs (redis://:pw@host, tcp://user:pw@host).
  return out.replace(URL_USERINFO, (match, user: string, _pw: string, offset: number) =>
    hasScheme(out, offset) ? `://${user}:${REDACTED}@` : match,
  );
}
