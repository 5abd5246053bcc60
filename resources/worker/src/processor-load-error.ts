/**
 * Names the file and line of a syntax error in a user processor file. BullMQ's sandbox child
 * reports only the error's message ("Unexpected end of input"), which says neither; Node puts
 * the location in the first line of the stack for CommonJS files and nowhere for ES modules,
 * where `node --check` tells it instead.
 */
import { spawnSync } from 'node:child_process';

export interface SourceLocation {
  file: string;
  line: number;
}

/** `/processors/resize.js:3` (or a file:// URL) as the first line of a stack, else null. */
export function locationInStack(stack: string | undefined): SourceLocation | null {
  const match = /^(\/.+|file:\/\/.+|[A-Za-z]:\\.+):(\d+)$/m.exec(stack ?? '');
  if (!match) return null;
  const file = match[1]!.startsWith('file://') ? decodeURI(match[1]!.slice(7)) : match[1]!;
  return { file, line: Number(match[2]) };
}

/** Where `node --check` finds a syntax error in `file`, or null (none, or it could not run). */
export function checkSyntax(file: string): SourceLocation | null {
  const result = spawnSync(process.execPath, ['--check', file], {
    encoding: 'utf8',
    timeout: 10_000,
    env: { PATH: process.env.PATH },
  });
  return result.status === 0 ? null : locationInStack(result.stderr);
}

interface ErrorJson {
  name?: string;
  message?: string;
  stack?: string;
}

/**
 * A processor file's load error with the file and line in its message, when it is a syntax
 * error (others are returned as they are).
 */
export function withSyntaxLocation<E extends ErrorJson>(
  err: E,
  file: string | null,
  check: (file: string) => SourceLocation | null = checkSyntax,
): E {
  if (err.name !== 'SyntaxError' && !/^SyntaxError/m.test(err.stack ?? '')) return err;
  const where = locationInStack(err.stack) ?? (file ? check(file) : null);
  if (!where) return err;
  const message = `syntax error in ${where.file} line ${where.line}: ${err.message ?? ''}`.trim();
  return { ...err, message };
}
