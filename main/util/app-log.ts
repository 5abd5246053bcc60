/**
 * The app's own log: JSON lines in `<home>/logs/guildhall.log`, rotated by size (guildhall.log,
 * guildhall.log.1, guildhall.log.2 by default), with every known secret removed before a line is
 * written. Writes are synchronous appends: lines from several processes (app, CLI) interleave
 * whole, ordering is kept, and a crash never loses a buffered line. Logging never throws.
 *
 *   const log = openAppLog(core.settings.paths.logs).child('doctor');
 *   log.addSecret(password);
 *   log.info('checks finished', { failed: 1 });
 */
import fs from 'node:fs';
import path from 'node:path';
import { REDACTED } from './redact';
import { isSecretKey, scrub } from './secret-text';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

const LEVEL_RANK: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export const APP_LOG_FILE = 'guildhall.log';
export const APP_LOG_MAX_BYTES = 5 * 1024 * 1024;
/** Files kept in all: the current one and two rotated ones. */
export const APP_LOG_MAX_FILES = 3;

export interface AppLogOptions {
  /** The logs folder (SettingsStore.paths.logs). */
  dir: string;
  fileName?: string;
  maxBytes?: number;
  maxFiles?: number;
  /** Lowest level written (default info; GUILDHALL_LOG_LEVEL=debug for more). */
  level?: LogLevel;
}

export type LogFields = Record<string, unknown>;

/** What every child logger of one file shares: where to write and which secrets to remove. */
class LogSink {
  readonly file: string;
  readonly secrets = new Set<string>();
  lastWriteError: string | null = null;

  constructor(
    readonly dir: string,
    fileName: string,
    readonly maxBytes: number,
    readonly maxFiles: number,
    public level: LogLevel,
  ) {
    this.file = path.join(dir, fileName);
  }

  rotatedName(index: number): string {
    return index === 0 ? this.file : `${this.file}.${index}`;
  }

  write(line: string): void {
    try {
      fs.mkdirSync(this.dir, { recursive: true, mode: 0o700 });
      const bytes = Buffer.byteLength(line);
      let size = 0;
      try {
        size = fs.statSync(this.file).size;
      } catch {
        size = 0;
      }
      if (size > 0 && size + bytes > this.maxBytes) this.rotate();
      fs.appendFileSync(this.file, line, { mode: 0o600 });
      this.lastWriteError = null;
    } catch (err) {
      this.lastWriteError = (err as Error).message;
    }
  }

  private rotate(): void {
    const last = this.maxFiles - 1;
    fs.rmSync(this.rotatedName(last), { force: true });
    for (let i = last - 1; i >= 0; i--) {
      try {
        fs.renameSync(this.rotatedName(i), this.rotatedName(i + 1));
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      }
    }
  }
}

function describeError(err: Error): LogFields {
  const code = (err as { code?: unknown }).code;
  return { name: err.name, message: err.message, ...(code !== undefined ? { code } : {}) };
}

/** Plain JSON-safe fields; secret-looking keys hidden, errors reduced to name/message/code. */
function cleanFields(fields: LogFields, depth = 0): LogFields {
  const out: LogFields = {};
  for (const [key, value] of Object.entries(fields)) {
    if (isSecretKey(key) && typeof value !== 'boolean' && typeof value !== 'number') {
      out[key] = REDACTED;
    } else if (value instanceof Error) {
      out[key] = describeError(value);
    } else if (value && typeof value === 'object' && !Array.isArray(value) && depth < 4) {
      out[key] = cleanFields(value as LogFields, depth + 1);
    } else {
      out[key] = value;
    }
  }
  return out;
}

export class AppLog {
  /** @internal use openAppLog */
  constructor(
    private readonly sink: LogSink,
    readonly scope: string | null = null,
  ) {}

  /** The current log file. */
  get file(): string {
    return this.sink.file;
  }

  /** Why the last write failed, or null. */
  get lastWriteError(): string | null {
    return this.sink.lastWriteError;
  }

  /** A logger whose lines carry `scope` (e.g. "doctor", "cluster"); shares file and secrets. */
  child(scope: string): AppLog {
    return new AppLog(this.sink, this.scope ? `${this.scope}.${scope}` : scope);
  }

  /** Registers a secret (e.g. the Redis password): it never appears in any later line. */
  addSecret(secret: string | null | undefined): void {
    if (secret && secret.length >= 4) this.sink.secrets.add(secret);
  }

  setLevel(level: LogLevel): void {
    this.sink.level = level;
  }

  debug(message: string, fields?: LogFields): void {
    this.log('debug', message, fields);
  }
  info(message: string, fields?: LogFields): void {
    this.log('info', message, fields);
  }
  warn(message: string, fields?: LogFields): void {
    this.log('warn', message, fields);
  }
  error(message: string, fields?: LogFields): void {
    this.log('error', message, fields);
  }

  log(level: LogLevel, message: string, fields: LogFields = {}): void {
    if (LEVEL_RANK[level] < LEVEL_RANK[this.sink.level]) return;
    let line: string;
    try {
      line = JSON.stringify({
        t: new Date().toISOString(),
        level,
        ...(this.scope ? { scope: this.scope } : {}),
        msg: message,
        ...cleanFields(fields),
      });
    } catch {
      line = JSON.stringify({ t: new Date().toISOString(), level, msg: message });
    }
    this.sink.write(`${scrub(line, this.sink.secrets)}\n`);
  }

  /** Existing log files, newest first (for the support bundle). */
  files(): string[] {
    const out: string[] = [];
    for (let i = 0; i < this.sink.maxFiles; i++) {
      const name = this.sink.rotatedName(i);
      if (fs.existsSync(name)) out.push(name);
    }
    return out;
  }
}

const open = new Map<string, AppLog>();

function levelFromEnv(env: NodeJS.ProcessEnv): LogLevel | undefined {
  const value = env.GUILDHALL_LOG_LEVEL?.trim().toLowerCase();
  return value && value in LEVEL_RANK ? (value as LogLevel) : undefined;
}

/** The app log for a logs folder; one instance per file per process. */
export function openAppLog(options: AppLogOptions | string): AppLog {
  const opts: AppLogOptions = typeof options === 'string' ? { dir: options } : options;
  const fileName = opts.fileName ?? APP_LOG_FILE;
  const key = path.resolve(opts.dir, fileName);
  const existing = open.get(key);
  if (existing) return existing;
  const sink = new LogSink(
    path.resolve(opts.dir),
    fileName,
    opts.maxBytes ?? APP_LOG_MAX_BYTES,
    Math.max(1, opts.maxFiles ?? APP_LOG_MAX_FILES),
    opts.level ?? levelFromEnv(process.env) ?? 'info',
  );
  const log = new AppLog(sink);
  open.set(key, log);
  return log;
}
