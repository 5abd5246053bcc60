/**
 * Parses JSON text typed by a user and, when it is malformed, says where: Node's JSON.parse
 * messages do not always carry a position, so a small scanner finds the first bad character.
 */

export interface JsonSyntaxProblem {
  /** 0-based character offset. */
  position: number;
  line: number;
  column: number;
  reason: string;
}

export type JsonTextResult =
  { ok: true; value: unknown } | { ok: false; problem: JsonSyntaxProblem };

export function parseJsonText(text: string): JsonTextResult {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return { ok: false, problem: locateJsonError(text) };
  }
}

export function describeJsonProblem(problem: JsonSyntaxProblem, what: string): string {
  return `Invalid JSON for ${what} at line ${problem.line}, column ${problem.column} (position ${problem.position}): ${problem.reason}.`;
}

class Stop extends Error {
  constructor(
    readonly position: number,
    readonly reason: string,
  ) {
    super(reason);
  }
}

/** Finds the first syntax error of text that JSON.parse rejected. */
export function locateJsonError(text: string): JsonSyntaxProblem {
  let pos = 0;
  const show = (at: number) => (at >= text.length ? 'the end of the text' : `'${text[at]}'`);
  const fail = (reason: string, at = pos): never => {
    throw new Stop(at, reason);
  };
  const skipSpace = () => {
    while (pos < text.length && ' \t\n\r'.includes(text[pos] ?? '')) pos++;
  };
  const literal = (word: string) => {
    for (let i = 0; i < word.length; i++) {
      if (text[pos + i] !== word[i]) fail(`expected "${word}" but found ${show(pos + i)}`, pos + i);
    }
    pos += word.length;
  };
  const string = () => {
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
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(pos + 2, pos + 6)))
            fail('invalid \\u escape in a string');
          pos += 6;
        } else if ('"\\/bfnrt'.includes(next) && next !== '') {
          pos += 2;
        } else {
          fail(`invalid escape "\\${next}" in a string`);
        }
        continue;
      }
      if (ch < ' ') fail('a control character (such as a raw line break) inside a string');
      pos++;
    }
    fail('a string is not closed (missing ")');
  };
  const number = () => {
    const match = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(pos));
    if (!match || match[0] === '-') fail(`expected a number but found ${show(pos)}`);
    pos += match?.[0].length ?? 0;
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
    if (ch === "'") fail('strings must use double quotes ("), not single quotes (\')');
    fail(`expected a value but found ${show(pos)}`);
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
      if (text[pos] !== '"')
        fail(`expected a property name in double quotes but found ${show(pos)}`);
      string();
      skipSpace();
      if (text[pos] !== ':') fail(`expected ':' after the property name but found ${show(pos)}`);
      pos++;
      value();
      skipSpace();
      if (text[pos] === ',') {
        pos++;
        skipSpace();
        if (text[pos] === '}') fail("a trailing comma before '}' is not allowed in JSON", pos);
        continue;
      }
      if (text[pos] === '}') {
        pos++;
        return;
      }
      fail(`expected ',' or '}' but found ${show(pos)}`);
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
        if (text[pos] === ']') fail("a trailing comma before ']' is not allowed in JSON", pos);
        continue;
      }
      if (text[pos] === ']') {
        pos++;
        return;
      }
      fail(`expected ',' or ']' but found ${show(pos)}`);
    }
  };

  let position = 0;
  let reason = 'the text is not valid JSON';
  try {
    value();
    skipSpace();
    if (pos < text.length) fail(`unexpected ${show(pos)} after the end of the JSON value`);
  } catch (err) {
    if (!(err instanceof Stop)) throw err;
    position = err.position;
    reason = err.reason;
  }
  const before = text.slice(0, position);
  const line = before.split('\n').length;
  const column = position - (before.lastIndexOf('\n') + 1) + 1;
  return { position, line, column, reason };
}
