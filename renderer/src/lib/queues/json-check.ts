/**
 * Live JSON checking for the job-data editor: parses the text and, when it is malformed, says
 * where (1-based line and column) and why, as a reason code the page translates. Browsers'
 * JSON.parse messages differ per engine and carry no reliable position, so a small scanner finds
 * the first bad character.
 */

export type JsonProblemReason =
  | 'empty'
  | 'unexpected-character'
  | 'unexpected-end'
  | 'expected-value'
  | 'expected-colon'
  | 'expected-comma-or-brace'
  | 'expected-comma-or-bracket'
  | 'expected-key'
  | 'trailing-comma'
  | 'unterminated-string'
  | 'control-character'
  | 'bad-escape'
  | 'bad-number'
  | 'extra-text';

export interface JsonProblem {
  reason: JsonProblemReason;
  /** 0-based offset of the offending character. */
  offset: number;
  line: number;
  column: number;
  /** The offending character, when there is one (for the message). */
  found: string | null;
}

export type JsonCheck = { ok: true; value: unknown } | { ok: false; problem: JsonProblem };

export function positionOf(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  const end = Math.min(offset, text.length);
  for (let i = 0; i < end; i++) {
    if (text[i] === '\n') {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: end - lineStart + 1 };
}

class Stop extends Error {
  constructor(
    readonly reason: JsonProblemReason,
    readonly offset: number,
  ) {
    super(reason);
  }
}

const SPACE = ' \t\n\r';

/** Finds the first syntax problem of `text`, or null when it is valid JSON. */
export function findJsonProblem(text: string): JsonProblem | null {
  let pos = 0;
  const fail = (reason: JsonProblemReason, at = pos): never => {
    throw new Stop(at >= text.length ? 'unexpected-end' : reason, at);
  };
  const skipSpace = () => {
    while (pos < text.length && SPACE.includes(text[pos]!)) pos++;
  };
  const literal = (word: string) => {
    for (let i = 0; i < word.length; i++) {
      if (text[pos + i] !== word[i]) fail('unexpected-character', pos + i);
    }
    pos += word.length;
  };
  const string = () => {
    const start = pos;
    pos++;
    while (pos < text.length) {
      const ch = text[pos]!;
      if (ch === '"') {
        pos++;
        return;
      }
      if (ch === '\\') {
        const next = text[pos + 1] ?? '';
        if (next === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(pos + 2, pos + 6))) fail('bad-escape');
          pos += 6;
        } else if (next !== '' && '"\\/bfnrt'.includes(next)) {
          pos += 2;
        } else {
          fail('bad-escape');
        }
        continue;
      }
      if (ch < ' ') fail('control-character');
      pos++;
    }
    throw new Stop('unterminated-string', start);
  };
  const number = () => {
    const match = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(pos));
    if (!match || match[0] === '-') fail('bad-number');
    pos += match![0].length;
    // "01", "1.", "1e" leave a digit, dot or letter right after the number.
    if (pos < text.length && /[\d.eE]/.test(text[pos]!)) fail('bad-number');
  };
  const value = (): void => {
    skipSpace();
    const ch = text[pos];
    if (ch === undefined) fail('unexpected-end');
    if (ch === '{') return object();
    if (ch === '[') return array();
    if (ch === '"') return string();
    if (ch === 't') return literal('true');
    if (ch === 'f') return literal('false');
    if (ch === 'n') return literal('null');
    if (ch === '-' || (ch! >= '0' && ch! <= '9')) return number();
    fail('expected-value');
  };
  const object = () => {
    pos++;
    skipSpace();
    if (text[pos] === '}') {
      pos++;
      return;
    }
    for (;;) {
      skipSpace();
      if (text[pos] !== '"') fail('expected-key');
      string();
      skipSpace();
      if (text[pos] !== ':') fail('expected-colon');
      pos++;
      value();
      skipSpace();
      if (text[pos] === ',') {
        pos++;
        skipSpace();
        if (text[pos] === '}') fail('trailing-comma', pos);
        continue;
      }
      if (text[pos] === '}') {
        pos++;
        return;
      }
      fail('expected-comma-or-brace');
    }
  };
  const array = () => {
    pos++;
    skipSpace();
    if (text[pos] === ']') {
      pos++;
      return;
    }
    for (;;) {
      value();
      skipSpace();
      if (text[pos] === ',') {
        pos++;
        skipSpace();
        if (text[pos] === ']') fail('trailing-comma', pos);
        continue;
      }
      if (text[pos] === ']') {
        pos++;
        return;
      }
      fail('expected-comma-or-bracket');
    }
  };

  try {
    skipSpace();
    if (pos >= text.length) throw new Stop('empty', pos);
    value();
    skipSpace();
    if (pos < text.length) fail('extra-text');
    return null;
  } catch (err) {
    if (!(err instanceof Stop)) throw err;
    const { line, column } = positionOf(text, err.offset);
    const found = err.offset < text.length ? text[err.offset]! : null;
    return { reason: err.reason, offset: err.offset, line, column, found };
  }
}

export function checkJson(text: string): JsonCheck {
  const problem = findJsonProblem(text);
  if (problem) return { ok: false, problem };
  return { ok: true, value: JSON.parse(text) as unknown };
}
