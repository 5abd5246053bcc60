/**
 * The last lines of the app's own log for the troubleshooting page. Lines were redacted when
 * written; they are scrubbed again with the current secrets (a password set later than a line
 * was written is still caught). Each JSON line is split into time, level, scope and message.
 */
import fs from 'node:fs/promises';
import { coreLog, type Core } from '../core';
import { scrub } from '../util/secret-text';
import { redisPasswordKey } from '../settings/secret-store';

/** Read at most this much from the end of each file. */
const TAIL_BYTES = 512 * 1024;

export interface AppLogEntry {
  /** ISO time, or null for a line that is not JSON. */
  at: string | null;
  level: 'debug' | 'info' | 'warn' | 'error' | null;
  scope: string | null;
  message: string;
  /** The other fields as compact JSON ('' when none). */
  fields: string;
}

export interface AppLogTail {
  file: string;
  entries: AppLogEntry[];
  /** Size of the current log file in bytes (0 when there is none yet). */
  sizeBytes: number;
}

const LEVELS = new Set(['debug', 'info', 'warn', 'error']);

export function parseLogLine(line: string): AppLogEntry {
  try {
    const value = JSON.parse(line) as Record<string, unknown>;
    if (value && typeof value === 'object' && !Array.isArray(value)) {
      const { t, level, scope, msg, ...rest } = value;
      return {
        at: typeof t === 'string' ? t : null,
        level:
          typeof level === 'string' && LEVELS.has(level) ? (level as AppLogEntry['level']) : null,
        scope: typeof scope === 'string' ? scope : null,
        message: typeof msg === 'string' ? msg : '',
        fields: Object.keys(rest).length ? JSON.stringify(rest) : '',
      };
    }
  } catch {
    // not JSON: shown as it is
  }
  return { at: null, level: null, scope: null, message: line, fields: '' };
}

async function lastLines(file: string, want: number): Promise<string[]> {
  let handle: fs.FileHandle;
  try {
    handle = await fs.open(file, 'r');
  } catch {
    return [];
  }
  try {
    const { size } = await handle.stat();
    const start = Math.max(0, size - TAIL_BYTES);
    const buffer = Buffer.alloc(size - start);
    await handle.read(buffer, 0, buffer.length, start);
    const lines = buffer.toString('utf8').split('\n');
    if (start > 0) lines.shift(); // a partial first line
    return lines.filter((l) => l.trim() !== '').slice(-want);
  } finally {
    await handle.close();
  }
}

export async function tailAppLog(core: Core, lines: number): Promise<AppLogTail> {
  const log = await coreLog(core);
  const file = log.file;
  let text: string[] = [];
  // Newest file first; older (rotated) files fill up what the newest does not hold.
  for (const name of log.files()) {
    if (text.length >= lines) break;
    text = [...(await lastLines(name, lines - text.length)), ...text];
  }
  const secrets: string[] = [];
  try {
    const { spec } = await core.cluster.spec();
    const password = await core.secrets.get(redisPasswordKey(spec.name));
    if (password) secrets.push(password);
  } catch {
    // nothing known to remove
  }
  const sizeBytes = await fs.stat(file).then(
    (stats) => stats.size,
    () => 0,
  );
  return { file, entries: text.map((line) => parseLogLine(scrub(line, secrets))), sizeBytes };
}
