/**
 * The audit log: append-only JSON lines in the settings folder (`audit.jsonl`), rotated to
 * `audit.1.jsonl` … `audit.<maxFiles-1>.jsonl` when the current file would pass `maxFileBytes`,
 * the oldest file dropped, so the log never holds more than maxFiles × maxFileBytes. Every
 * entry carries the hash of the one before it (audit-entry.ts); the first entry of a new file
 * links to the last one of the file rotated away, so `verify()` follows the chain across files.
 *
 *   const log = new AuditLog({ dir: core.settings.paths.root });
 *   await log.append({ time, face: 'cli', user, action: 'cluster.up', … });
 *   const report = await log.verify(); // { ok: false, problem: { file, line, reason } }
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import {
  formatEntryLine,
  GENESIS_HASH,
  parseEntryLine,
  type AuditEntry,
  type AuditEntryBody,
} from './audit-entry';
import { withFileLock } from './file-lock';

export const AUDIT_FILE = 'audit.jsonl';
export const DEFAULT_AUDIT_FILE_BYTES = 1024 * 1024;
export const DEFAULT_AUDIT_FILES = 5;

export interface AuditLogOptions {
  /** The settings folder. */
  dir: string;
  maxFileBytes?: number;
  /** Files kept, the current one included (at least 2). */
  maxFiles?: number;
}

export interface AuditProblem {
  /** The file's name in the settings folder. */
  file: string;
  /** 1-based line number in that file. */
  line: number;
  reason: 'unreadable' | 'hash-mismatch' | 'broken-link';
  message: string;
}

export interface AuditVerifyReport {
  ok: boolean;
  entries: number;
  files: string[];
  problem: AuditProblem | null;
}

const TAIL_BYTES = 64 * 1024;

interface PendingEntry {
  body: AuditEntryBody;
  resolve: (entry: AuditEntry) => void;
  reject: (err: unknown) => void;
}

export class AuditLog {
  readonly dir: string;
  readonly maxFileBytes: number;
  readonly maxFiles: number;
  private pending: PendingEntry[] = [];
  private flushing: Promise<void> | null = null;
  /** The current file as this process last left it, to skip rereading its last line. */
  private lastWrite: { ino: number; size: number; mtimeMs: number; hash: string } | null = null;

  constructor(options: AuditLogOptions) {
    this.dir = options.dir;
    this.maxFileBytes = options.maxFileBytes ?? DEFAULT_AUDIT_FILE_BYTES;
    this.maxFiles = Math.max(2, options.maxFiles ?? DEFAULT_AUDIT_FILES);
  }

  /** The current file's path. */
  get file(): string {
    return path.join(this.dir, AUDIT_FILE);
  }

  /** Existing log files, oldest first (names in the settings folder). */
  async files(): Promise<string[]> {
    const names: string[] = [];
    for (let i = this.maxFiles - 1; i >= 1; i -= 1) {
      const name = rotatedName(i);
      if (await exists(path.join(this.dir, name))) names.push(name);
    }
    if (await exists(this.file)) names.push(AUDIT_FILE);
    return names;
  }

  /**
   * Appends one entry. Entries asked for while a write is under way are written together in
   * the next one (one lock, one append), in the order asked; the lock file keeps other
   * processes' appends apart, so the chain stays one line after another.
   */
  append(body: AuditEntryBody): Promise<AuditEntry> {
    return new Promise((resolve, reject) => {
      this.pending.push({ body, resolve, reject });
      this.flushing ??= this.flush();
    });
  }

  /** Every readable entry, oldest first (lines that fail to parse are skipped). */
  async read(): Promise<AuditEntry[]> {
    const entries: AuditEntry[] = [];
    for (const name of await this.files()) {
      for (const line of await readLines(path.join(this.dir, name))) {
        const parsed = parseEntryLine(line);
        if (parsed.ok) entries.push(parsed.entry);
      }
    }
    return entries;
  }

  /** Follows the chain through every file; reports the first line where it breaks. */
  async verify(): Promise<AuditVerifyReport> {
    const files = await this.files();
    let previous: string | null = null;
    let entries = 0;
    for (const name of files) {
      const lines = await readLines(path.join(this.dir, name));
      for (const [index, line] of lines.entries()) {
        const at = { file: name, line: index + 1 };
        const parsed = parseEntryLine(line);
        if (!parsed.ok) {
          const message =
            parsed.reason === 'unreadable'
              ? `${name} line ${at.line} is not an audit entry (damaged or edited)`
              : `${name} line ${at.line} was changed after it was written (its content does not match its hash)`;
          return { ok: false, entries, files, problem: { ...at, reason: parsed.reason, message } };
        }
        // The oldest kept entry links to one rotated away: it anchors the chain.
        if (previous !== null && parsed.entry.prev !== previous) {
          const before = index > 0 ? `line ${index}` : 'the last line of the previous file';
          const message = `${name} line ${at.line} does not follow ${before}: an entry before it was changed, removed or inserted`;
          return { ok: false, entries, files, problem: { ...at, reason: 'broken-link', message } };
        }
        previous = parsed.entry.hash;
        entries += 1;
      }
    }
    return { ok: true, entries, files, problem: null };
  }

  private async flush(): Promise<void> {
    try {
      while (this.pending.length > 0) {
        const batch = this.pending.splice(0);
        try {
          const entries = await withFileLock(path.join(this.dir, 'audit.lock'), () =>
            this.appendLocked(batch.map((item) => item.body)),
          );
          batch.forEach((item, index) => item.resolve(entries[index]!));
        } catch (err) {
          for (const item of batch) item.reject(err);
        }
      }
    } finally {
      this.flushing = null;
    }
  }

  private async appendLocked(bodies: AuditEntryBody[]): Promise<AuditEntry[]> {
    await fs.mkdir(this.dir, { recursive: true });
    const before = await fs.stat(this.file).catch(() => null);
    const known = this.lastWrite;
    let prev =
      before &&
      known &&
      before.ino === known.ino &&
      before.size === known.size &&
      before.mtimeMs === known.mtimeMs
        ? known.hash
        : await this.lastHash();
    let size = before?.size ?? 0;
    let chunk = '';
    const entries: AuditEntry[] = [];
    for (const body of bodies) {
      const { line, entry } = formatEntryLine(body, prev);
      const bytes = Buffer.byteLength(line, 'utf8') + 1;
      if (size > 0 && size + bytes > this.maxFileBytes) {
        if (chunk) await fs.appendFile(this.file, chunk, { encoding: 'utf8', mode: 0o600 });
        chunk = '';
        await this.rotate();
        size = 0;
      }
      chunk += `${line}\n`;
      size += bytes;
      prev = entry.hash;
      entries.push(entry);
    }
    if (chunk) await fs.appendFile(this.file, chunk, { encoding: 'utf8', mode: 0o600 });
    const after = await fs.stat(this.file).catch(() => null);
    this.lastWrite = after
      ? { ino: after.ino, size: after.size, mtimeMs: after.mtimeMs, hash: prev }
      : null;
    return entries;
  }

  /** The hash of the newest entry, in the current file or else the newest rotated one. */
  private async lastHash(): Promise<string> {
    const files = await this.files();
    for (const name of files.reverse()) {
      const last = await lastLine(path.join(this.dir, name));
      if (last === null) continue;
      const parsed = parseEntryLine(last);
      // A damaged last line still anchors the next entry by the hash it claims, so verify
      // reports the damage itself rather than a broken link after it.
      return parsed.ok ? parsed.entry.hash : (parsed.hash ?? GENESIS_HASH);
    }
    return GENESIS_HASH;
  }

  private async rotate(): Promise<void> {
    await fs.rm(path.join(this.dir, rotatedName(this.maxFiles - 1)), { force: true });
    for (let i = this.maxFiles - 2; i >= 1; i -= 1) {
      const from = path.join(this.dir, rotatedName(i));
      if (await exists(from)) await fs.rename(from, path.join(this.dir, rotatedName(i + 1)));
    }
    await fs.rename(this.file, path.join(this.dir, rotatedName(1)));
  }
}

function rotatedName(index: number): string {
  return `audit.${index}.jsonl`;
}

async function exists(file: string): Promise<boolean> {
  return (await fs.stat(file).catch(() => null)) !== null;
}

async function readLines(file: string): Promise<string[]> {
  const text = await fs.readFile(file, 'utf8').catch(() => '');
  return text.split('\n').filter((line) => line.length > 0);
}

/** The file's last non-empty line, reading only its tail. */
async function lastLine(file: string): Promise<string | null> {
  const handle = await fs.open(file, 'r').catch(() => null);
  if (!handle) return null;
  try {
    const { size } = await handle.stat();
    if (size === 0) return null;
    const length = Math.min(size, TAIL_BYTES);
    const buffer = Buffer.alloc(length);
    await handle.read(buffer, 0, length, size - length);
    const lines = buffer
      .toString('utf8')
      .split('\n')
      .filter((line) => line.length > 0);
    return lines.at(-1) ?? null;
  } finally {
    await handle.close();
  }
}
