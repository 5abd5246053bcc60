/**
 * Finds where JSON text typed by a user is malformed, and why, as a reason code that each face
 * words its own way (the CLI in English, the console through its message catalogue).
 * JSON.parse messages differ per engine and do not always carry a position, so a small scanner
 * finds the first bad character. Pure: no Node, browser or Electron APIs, so the console's
 * renderer imports it too.
 */

export type JsonSyntaxReason =
  /** Nothing but whitespace. */
  | 'empty'
  | 'expected-value'
  /** A value that opens with a single quote. */
  | 'single-quoted-string'
  /** A misspelt or cut-off literal. */
  | 'expected-true'
  | 'expected-false'
  | 'expected-null'
  /** An object member that does not start with a double-quoted name. */
  | 'expected-key'
  | 'expected-colon'
  | 'expected-comma-or-brace'
  | 'expected-comma-or-bracket'
  /** A comma right before '}' or ']'. */
  | 'trailing-comma'
  | 'unterminated-string'
  /** A raw line break or other control character inside a string. */
  | 'control-character'
  /** "\u" not followed by four hex digits. */
  | 'bad-unicode-escape'
  /** A backslash followed by anything but " \ / b f n r t u. */
  | 'bad-escape'
  /** A '-' with no digits after it. */
  | 'bad-number'
  /** More text after a complete JSON value. */
  | 'extra-text';

export interface JsonSyntaxProblem {
  reason: JsonSyntaxReason;
  /**
   * 0-based offset of the offending character: the opening quote for 'unterminated-string', the
   * end of the text for 'empty' or whenever the text ends too early.
   */
  offset: number;
  /** 1-based. */
  line: number;
  /** 1-based. */
  column: number;
  /** The character at `offset`, or null when the text ended there. */
  found: string | null;
  /**
   * The offending character continues the number right before it ("01", "1.", "1e"), so that
   * number is malformed; `reason` still says what the structure expected at that point.
   */
  continuesNumber: boolean;
}

/** 1-based line and column of a 0-based offset (an offset past the end counts as the end). */
export function lineAndColumn(text: string, offset: number): { line: number; column: number } {
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
    readonly reason: JsonSyntaxReason,
    readonly offset: number,
  ) {
    super(reason);
  }
}

const SPACE = ' \t\n\r';
const LITERAL_REASONS = {
  true: 'expected-true',
  false: 'expected-false',
  null: 'expected-null',
} as const satisfies Record<string, JsonSyntaxReason>;

/** The first syntax problem of `text`, or null when it is valid JSON. */
export function findJsonSyntaxProblem(text: string): JsonSyntaxProblem | null {
  let pos = 0;
  /** Where the last number ran on into a digit, '.', 'e' or 'E' (-1: it did not). */
  let numberRunsOnAt = -1;
  const fail = (reason: JsonSyntaxReason, at = pos): never => {
    throw new Stop(reason, at);
  };
  const skipSpace = () => {
    while (pos < text.length && SPACE.includes(text[pos] ?? '')) pos++;
  };
  const literal = (word: keyof typeof LITERAL_REASONS) => {
    for (let i = 0; i < word.length; i++) {
      if (text[pos + i] !== word[i]) fail(LITERAL_REASONS[word], pos + i);
    }
    pos += word.length;
  };
  const string = () => {
    const start = pos;
    pos++; // opening quote
    while (pos < text.length) {
      const ch = text[pos] ?? '';
      if (ch === '"') {
        pos++;
        return;
      }
      if (ch === '\\') {
        const next = text[pos + 1] ?? '';
        if (next === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(pos + 2, pos + 6))) fail('bad-unicode-escape');
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
    fail('unterminated-string', start);
  };
  const number = () => {
    const match = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(pos));
    if (!match || match[0] === '-') fail('bad-number');
    pos += match?.[0].length ?? 0;
    // "01", "1.", "1e": the structure fails right here, on a character of the broken number.
    if (/[\d.eE]/.test(text[pos] ?? '')) numberRunsOnAt = pos;
  };
  const value = (): void => {
    skipSpace();
    const ch = text[pos];
    if (ch === '{') return object();
    if (ch === '[') return array();
    if (ch === '"') return string();
    if (ch === 't') return literal('true');
    if (ch === 'f') return literal('false');
    if (ch === 'n') return literal('null');
    if (ch === '-' || (ch !== undefined && ch >= '0' && ch <= '9')) return number();
    if (ch === "'") fail('single-quoted-string');
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
        if (text[pos] === '}') fail('trailing-comma');
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
        if (text[pos] === ']') fail('trailing-comma');
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
    if (pos >= text.length) fail('empty');
    value();
    skipSpace();
    if (pos < text.length) fail('extra-text');
    return null;
  } catch (err) {
    if (!(err instanceof Stop)) throw err;
    return {
      reason: err.reason,
      offset: err.offset,
      ...lineAndColumn(text, err.offset),
      found: err.offset < text.length ? (text[err.offset] ?? null) : null,
      continuesNumber: err.offset === numberRunsOnAt,
    };
  }
}
