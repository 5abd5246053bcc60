/**
 * Serving the built renderer: files only (no directory listings), with correct MIME types,
 * and never anything outside the renderer folder (`..`, encoded slashes, NUL bytes and symlinks
 * that lead out are refused).
 */
import fs from 'node:fs/promises';
import path from 'node:path';

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.txt': 'text/plain; charset=utf-8',
  '.wasm': 'application/wasm',
};

export function mimeType(file: string): string {
  return MIME[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
}

export type StaticLookup =
  | { kind: 'file'; file: string; size: number; type: string }
  | { kind: 'not-found' }
  | { kind: 'refused' };

/** Maps a URL path to a file inside `root`; `/` is index.html. */
export async function lookupStatic(root: string, urlPath: string): Promise<StaticLookup> {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return { kind: 'refused' };
  }
  if (decoded.includes('\0') || decoded.includes('\\') || !decoded.startsWith('/')) {
    return { kind: 'refused' };
  }
  if (decoded.split('/').some((segment) => segment === '..')) return { kind: 'refused' };
  const relative = decoded === '/' ? 'index.html' : decoded.slice(1);
  const base = await fs.realpath(root).catch(() => null);
  if (!base) return { kind: 'not-found' };
  const candidate = path.resolve(base, relative);
  if (!isInside(base, candidate)) return { kind: 'refused' };
  const real = await fs.realpath(candidate).catch(() => null);
  if (!real) return { kind: 'not-found' };
  if (!isInside(base, real)) return { kind: 'refused' };
  const stat = await fs.stat(real).catch(() => null);
  if (!stat?.isFile()) return { kind: 'not-found' };
  return { kind: 'file', file: real, size: stat.size, type: mimeType(real) };
}

function isInside(base: string, target: string): boolean {
  const rel = path.relative(base, target);
  return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel);
}
