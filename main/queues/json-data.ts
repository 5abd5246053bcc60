/**
 * Job data must survive a JSON round trip unchanged: BullMQ stores it as JSON, and a worker in
 * another container reads it back. JSON.stringify silently drops functions and undefined, turns
 * NaN into null and Dates into strings, and throws on BigInt and cycles — so we check the value
 * ourselves and name the offending path instead of storing something else than was sent. Nesting
 * is limited too, so deep data gets a clear error rather than a stack overflow.
 */

/** Largest serialised job data we accept: 512 KiB. */
export const MAX_JOB_DATA_BYTES = 512 * 1024;

/** Deepest nesting of arrays and objects we accept in job data. */
export const MAX_JOB_DATA_DEPTH = 100;

/** Returns a reason the value is not plain JSON (naming its path), or null when it is. */
export function findNonJson(value: unknown, path = 'data'): string | null {
  return walk(value, path, new Set<object>());
}

function tooDeep(path: string): string {
  const where = path.length > 60 ? `${path.slice(0, 60)}…` : path;
  return `data nests arrays and objects more than ${MAX_JOB_DATA_DEPTH} levels deep (at ${where}); flatten it or send the deep part as a JSON string`;
}

function walk(value: unknown, path: string, ancestors: Set<object>): string | null {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return null;
    case 'number':
      return Number.isFinite(value)
        ? null
        : `${path} is ${String(value)}, which JSON cannot represent`;
    case 'bigint':
      return `${path} is a BigInt, which JSON cannot represent (send it as a string)`;
    case 'function':
      return `${path} is a function, which is not JSON`;
    case 'symbol':
      return `${path} is a symbol, which is not JSON`;
    case 'undefined':
      return `${path} is undefined, which is not JSON (use null or leave the key out)`;
    case 'object':
      break;
  }
  if (value === null) return null;
  const obj = value as object;
  if (ancestors.has(obj))
    return `${path} refers back to itself (a circular structure), which is not JSON`;
  if (ancestors.size >= MAX_JOB_DATA_DEPTH) return tooDeep(path);
  ancestors.add(obj);
  try {
    if (Array.isArray(obj)) {
      for (let i = 0; i < obj.length; i++) {
        const reason = walk(obj[i], `${path}[${i}]`, ancestors);
        if (reason) return reason;
      }
      return null;
    }
    const proto: unknown = Object.getPrototypeOf(obj);
    if (proto !== Object.prototype && proto !== null) {
      const kind = (obj as { constructor?: { name?: string } }).constructor?.name || 'object';
      return `${path} is a ${kind}, not a plain object (send plain objects, arrays, strings, numbers, booleans or null)`;
    }
    if (Object.getOwnPropertySymbols(obj).length > 0)
      return `${path} has symbol keys, which are not JSON`;
    for (const [key, child] of Object.entries(obj)) {
      const reason = walk(child, `${path}.${key}`, ancestors);
      if (reason) return reason;
    }
    return null;
  } finally {
    ancestors.delete(obj);
  }
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1).replace(/\.0$/, '')} KiB`;
  return `${(bytes / (1024 * 1024)).toFixed(1).replace(/\.0$/, '')} MiB`;
}

/** Byte length of the value's JSON; call only after `findNonJson` returned null. */
export function serialisedBytes(value: unknown): number {
  return Buffer.byteLength(JSON.stringify(value) ?? 'null', 'utf8');
}

/** JSON of a value cut to `max` characters (with an ellipsis), for list previews. */
export function jsonPreview(value: unknown, max = 200): string {
  let text: string;
  try {
    text = JSON.stringify(value) ?? 'undefined';
  } catch {
    text = String(value);
  }
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
