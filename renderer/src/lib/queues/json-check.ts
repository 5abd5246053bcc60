/**
 * Live JSON checking for the job-data editor: where the data text is malformed (1-based line and
 * column) and why, as a reason code the page words through the message catalogue. The shared
 * scanner finds the problem; this narrows its reasons to the ones the catalogue has.
 */
import { findJsonSyntaxProblem, type JsonSyntaxProblem } from '@shared/json-syntax';

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

/** Finds the first syntax problem of `text`, or null when it is valid JSON. */
export function findJsonProblem(text: string): JsonProblem | null {
  const problem = findJsonSyntaxProblem(text);
  if (!problem) return null;
  const { offset, line, column, found } = problem;
  return { reason: catalogueReason(problem), offset, line, column, found };
}

function catalogueReason(problem: JsonSyntaxProblem): JsonProblemReason {
  const { reason } = problem;
  if (reason === 'empty' || reason === 'unterminated-string') return reason;
  if (problem.found === null) return 'unexpected-end';
  if (problem.continuesNumber) return 'bad-number';
  switch (reason) {
    case 'expected-true':
    case 'expected-false':
    case 'expected-null':
      return 'unexpected-character';
    case 'single-quoted-string':
      return 'expected-value';
    case 'bad-unicode-escape':
      return 'bad-escape';
    default:
      return reason;
  }
}
