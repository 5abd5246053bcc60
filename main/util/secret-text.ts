/**
 * Secret scrubbing shared by the app log and the support bundle: every form a secret may take
 * in text (raw, JSON-escaped, URL-encoded, base64), secret-looking keys, and env values.
 */
import { REDACTED, redact } from './redact';
import { isSecretKey } from './secret-keys';

export { isSecretKey, SECRET_KEY_PATTERN } from './secret-keys';

/** The forms a secret can take once written somewhere: raw, escaped, encoded. */
export function secretVariants(secret: string): string[] {
  const forms = new Set<string>([
    secret,
    JSON.stringify(secret).slice(1, -1),
    encodeURIComponent(secret),
    Buffer.from(secret, 'utf8').toString('base64'),
    Buffer.from(secret, 'utf8').toString('base64url'),
  ]);
  // base64 without padding, as found inside longer encoded strings
  forms.add(Buffer.from(secret, 'utf8').toString('base64').replace(/=+$/, ''));
  return [...forms].filter((form) => form.length >= 4);
}

/** Removes every variant of every secret, then URL passwords (via util/redact). */
export function scrub(text: string, secrets: Iterable<string>): string {
  const variants: string[] = [];
  for (const secret of secrets) if (secret) variants.push(...secretVariants(secret));
  // Longest first, so a raw secret inside its own base64 form never leaves a fragment behind.
  variants.sort((a, b) => b.length - a.length);
  return redact(text, variants);
}

/**
 * Env values are dropped whatever their names: a name cannot tell a secret (STRIPE_KEY,
 * SLACK_WEBHOOK_URL…). Kept are only the GUILDHALL_* values Guildhall sets itself (the settings
 * reserve that prefix, so no user value hides there), which support needs to read.
 */
export function scrubEnvValue(name: string, value: unknown): unknown {
  return name.startsWith('GUILDHALL_') ? value : REDACTED;
}

/** A `KEY=value` entry (container Env) with its value dropped (see scrubEnvValue). */
export function scrubEnvEntry(entry: string): string {
  const eq = entry.indexOf('=');
  if (eq <= 0) return REDACTED;
  const key = entry.slice(0, eq);
  return `${key}=${String(scrubEnvValue(key, entry.slice(eq + 1)))}`;
}

/** A deep copy with the values of secret-looking keys replaced (strings only; structure kept). */
export function scrubObject(value: unknown, depth = 0): unknown {
  if (depth > 20) return value;
  if (Array.isArray(value)) return value.map((item) => scrubObject(item, depth + 1));
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(value as Record<string, unknown>)) {
    if (typeof inner === 'string' && isSecretKey(key) && !/_?file$|path$/i.test(key)) {
      out[key] = inner === '' ? '' : REDACTED;
    } else if (key === 'env' && inner && typeof inner === 'object' && !Array.isArray(inner)) {
      // A worker env map: names kept, values dropped.
      out[key] = Object.fromEntries(
        Object.entries(inner as Record<string, unknown>).map(([k, v]) => [k, scrubEnvValue(k, v)]),
      );
    } else if (key === 'Env' && Array.isArray(inner)) {
      out[key] = inner.map((item) => (typeof item === 'string' ? scrubEnvEntry(item) : item));
    } else {
      out[key] = scrubObject(inner, depth + 1);
    }
  }
  return out;
}
