/**
 * JSON text typed on the command line: parsed, or, when it is malformed, located and described
 * in English. The shared scanner (json-syntax.ts) finds the problem; this is the CLI's wording.
 */
import { findJsonSyntaxProblem, lineAndColumn, type JsonSyntaxProblem } from '@shared/json-syntax';

export interface JsonTextProblem {
  /** 0-based character offset. */
  position: number;
  line: number;
  column: number;
  /** In English, to follow "…: ". */
  reason: string;
}

export type JsonTextResult = { ok: true; value: unknown } | { ok: false; problem: JsonTextProblem };

export function parseJsonText(text: string): JsonTextResult {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return { ok: false, problem: locateJsonError(text) };
  }
}

export function describeJsonProblem(problem: JsonTextProblem, what: string): string {
  return `Invalid JSON for ${what} at line ${problem.line}, column ${problem.column} (position ${problem.position}): ${problem.reason}.`;
}

/** Finds the first syntax error of text that JSON.parse rejected. */
export function locateJsonError(text: string): JsonTextProblem {
  const problem = findJsonSyntaxProblem(text);
  if (!problem) return { position: 0, line: 1, column: 1, reason: 'the text is not valid JSON' };
  // A string that never closes is reported where the text runs out.
  const position = problem.reason === 'unterminated-string' ? text.length : problem.offset;
  return { position, ...lineAndColumn(text, position), reason: englishReason(problem, text) };
}

function englishReason(problem: JsonSyntaxProblem, text: string): string {
  const found = problem.found === null ? 'the end of the text' : `'${problem.found}'`;
  switch (problem.reason) {
    case 'empty':
    case 'expected-value':
      return `expected a value but found ${found}`;
    case 'single-quoted-string':
      return 'strings must use double quotes ("), not single quotes (\')';
    case 'expected-true':
      return `expected "true" but found ${found}`;
    case 'expected-false':
      return `expected "false" but found ${found}`;
    case 'expected-null':
      return `expected "null" but found ${found}`;
    case 'expected-key':
      return `expected a property name in double quotes but found ${found}`;
    case 'expected-colon':
      return `expected ':' after the property name but found ${found}`;
    case 'expected-comma-or-brace':
      return `expected ',' or '}' but found ${found}`;
    case 'expected-comma-or-bracket':
      return `expected ',' or ']' but found ${found}`;
    case 'trailing-comma':
      return `a trailing comma before ${found} is not allowed in JSON`;
    case 'unterminated-string':
      return 'a string is not closed (missing ")';
    case 'control-character':
      return 'a control character (such as a raw line break) inside a string';
    case 'bad-unicode-escape':
      return 'invalid \\u escape in a string';
    case 'bad-escape':
      return `invalid escape "\\${text[problem.offset + 1] ?? ''}" in a string`;
    case 'bad-number':
      return `expected a number but found ${found}`;
    case 'extra-text':
      return `unexpected ${found} after the end of the JSON value`;
  }
}
