/**
 * Every API procedure and every CLI command is either recorded in the audit log or listed as a
 * read: a new action cannot be added without deciding, and a stale name is caught too.
 */
import { describe, expect, it } from 'vitest';
import { AUDITED_PROCEDURES, READ_PROCEDURES } from '../../main/api/audited-procedures';
import { apiContract } from '../../main/shared/contract';
import { CLI_AUDITED, CLI_READS } from '../../main/cli/audited-commands';
import { COMMANDS } from '../../main/cli/index';

function procedurePaths(node: object, prefix: string[] = []): string[] {
  if ('~orpc' in node) return [prefix.join('.')];
  return Object.entries(node).flatMap(([key, inner]) =>
    procedurePaths(inner as object, [...prefix, key]),
  );
}

describe('audit coverage', () => {
  it('classifies every API procedure exactly once', () => {
    const paths = procedurePaths(apiContract);
    const audited = Object.keys(AUDITED_PROCEDURES);
    for (const name of paths) {
      expect(
        Number(audited.includes(name)) + Number(READ_PROCEDURES.has(name)),
        `${name} must be in exactly one of AUDITED_PROCEDURES and READ_PROCEDURES`,
      ).toBe(1);
    }
    for (const name of [...audited, ...READ_PROCEDURES]) expect(paths).toContain(name);
  });

  it('classifies every CLI command exactly once', () => {
    const commands = Object.keys(COMMANDS);
    for (const name of commands) {
      expect(
        Number(name in CLI_AUDITED) + Number(CLI_READS.has(name)),
        `CLI command ${name} must be in exactly one of CLI_AUDITED and CLI_READS`,
      ).toBe(1);
    }
    for (const name of [...Object.keys(CLI_AUDITED), ...CLI_READS])
      expect(commands).toContain(name);
  });
});
