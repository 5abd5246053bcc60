/**
 * What of an action's arguments the audit log keeps: the shape and plain values, never a
 * secret. Values under secret-looking keys (util/secret-keys) and every value of an `env` map
 * are replaced, every string loses the known secret values and URL passwords (util/redact),
 * and the whole is bounded (depth, items, string length) so one call cannot bloat the log.
 */
import { REDACTED, redact } from '../util/redact';
import { isSecretKey } from '../util/secret-keys';

const MAX_DEPTH = 6;
const MAX_ITEMS = 30;
const MAX_STRING = 300;

function text(value: string, secrets: readonly string[]): string {
  const clean = redact(value, secrets);
  return clean.length > MAX_STRING
    ? `${clean.slice(0, MAX_STRING)}…(${clean.length} chars)`
    : clean;
}

/** Largest recorded arguments, as JSON; larger ones are kept as a cut preview. */
export const MAX_ARGS_CHARS = 4_000;

/** A redacted, bounded copy of `value` for the audit log (at most MAX_ARGS_CHARS of JSON). */
export function auditArgs(value: unknown, secrets: readonly string[]): unknown {
  const copy = boundedCopy(value, secrets, 0);
  const text = JSON.stringify(copy) ?? 'null';
  if (text.length <= MAX_ARGS_CHARS) return copy;
  return { truncated: true, chars: text.length, preview: text.slice(0, MAX_ARGS_CHARS / 2) };
}

function boundedCopy(value: unknown, secrets: readonly string[], depth: number): unknown {
  if (value === undefined) return null;
  if (value === null || typeof value === 'boolean' || typeof value === 'number') return value;
  if (typeof value === 'string') return text(value, secrets);
  if (typeof value !== 'object') return String(value);
  if (depth >= MAX_DEPTH) return '…';
  if (Array.isArray(value)) {
    const items = value.slice(0, MAX_ITEMS).map((item) => boundedCopy(item, secrets, depth + 1));
    if (value.length > MAX_ITEMS) items.push(`…(${value.length} items)`);
    return items;
  }
  const out: Record<string, unknown> = {};
  const entries = Object.entries(value as Record<string, unknown>);
  for (const [key, inner] of entries.slice(0, MAX_ITEMS)) {
    if (inner === undefined) continue;
    if (isSecretKey(key) && inner !== '' && inner !== null && typeof inner !== 'boolean') {
      out[key] = REDACTED;
    } else if (key === 'env' && inner && typeof inner === 'object' && !Array.isArray(inner)) {
      // Environment values are where credentials usually go: keep only the variable names.
      out[key] = Object.fromEntries(Object.keys(inner).map((name) => [name, REDACTED]));
    } else {
      out[key] = boundedCopy(inner, secrets, depth + 1);
    }
  }
  if (entries.length > MAX_ITEMS) out['…'] = `${entries.length} keys`;
  return out;
}

/** An error's message for the log, secrets removed and cut short. */
export function auditErrorText(message: string, secrets: readonly string[]): string {
  return text(message, secrets);
}
