/**
 * `guildhall audit [--since T] [--until T] [--face F] [--action A] [--target X] [--limit N]
 * [--json] [--verify]`: the audit log, newest first; `--verify` follows its hash chain and
 * names the file and line where it breaks (exit 7).
 */
import { AUDIT_FACES, type AuditEntry, type AuditFace } from '../../audit/audit-entry';
import { filterAuditEntries } from '../../audit/audit-query';
import { auditSinkFor } from '../../audit/record';
import { GuildhallError } from '../../util/errors';
import { EXIT } from '../exit-codes';
import type { CommandRunner } from '../index';
import { parseCount } from './cluster';

function faceOf(value: unknown): AuditFace | undefined {
  if (value === undefined) return undefined;
  if (!(AUDIT_FACES as readonly string[]).includes(String(value))) {
    throw new GuildhallError(
      'invalid-input',
      `Unknown face "${String(value)}".`,
      `Use one of: ${AUDIT_FACES.join(', ')}.`,
    );
  }
  return value as AuditFace;
}

export function formatAuditEntry(entry: AuditEntry): string {
  const outcome = entry.outcome === 'ok' ? 'ok' : `error: ${entry.error?.message ?? ''}`;
  const args = JSON.stringify(entry.args);
  const shownArgs = args && args !== '{}' && args !== 'null' ? `  ${args}` : '';
  return `${entry.time}  ${entry.face.padEnd(7)} ${entry.user}  ${entry.action}  ${entry.target ?? '-'}  ${outcome}${shownArgs}`;
}

export const runAudit: CommandRunner = async (core, io, _positionals, flags) => {
  const { log } = auditSinkFor(core);
  if (flags.verify === true) {
    const report = await log.verify();
    if (flags.json === true) io.stdout.write(`${JSON.stringify(report)}\n`);
    else if (report.ok) {
      io.stdout.write(
        `Audit log intact: ${report.entries} entries in ${report.files.length} file(s) in ${log.dir}.\n`,
      );
    } else {
      io.stdout.write(`Audit log broken: ${report.problem?.message}.\n`);
      io.stderr.write(
        `guildhall: the audit log's hash chain breaks at ${report.problem?.file} line ${report.problem?.line} (in ${log.dir}).\n  fix: entries from that line on cannot be trusted; keep the files as evidence and compare them with a backup.\n`,
      );
    }
    return report.ok ? EXIT.ok : EXIT.checksFailed;
  }
  const limit = parseCount('--limit', flags.limit as string | undefined, 1, 100_000);
  const { entries, matched } = filterAuditEntries(await log.read(), {
    since: flags.since as string | undefined,
    until: flags.until as string | undefined,
    face: faceOf(flags.face),
    action: flags.action as string | undefined,
    target: flags.target as string | undefined,
    limit: limit ?? 100,
  });
  if (flags.json === true) {
    for (const entry of entries) io.stdout.write(`${JSON.stringify(entry)}\n`);
    return EXIT.ok;
  }
  if (entries.length === 0) io.stdout.write('No audit entries match.\n');
  for (const entry of entries) io.stdout.write(`${formatAuditEntry(entry)}\n`);
  if (matched > entries.length) {
    io.stdout.write(
      `(${matched - entries.length} older entries not shown; use --limit or --since)\n`,
    );
  }
  return EXIT.ok;
};
