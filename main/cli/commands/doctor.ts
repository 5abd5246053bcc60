/**
 * `guildhall doctor [--json] [--bundle FILE] [--fix ID [--confirm TEXT] [--file PATH]]`: runs
 * every diagnostics check and prints one line per check (✔ passed, ⚠ warning, ✖ failed,
 * – skipped), with details and the fixes as commands under problems. Exit code 7 when a check
 * that is not muted failed, else 0. `--fix` runs a fix first, then the checks. `--bundle` also
 * writes the support bundle and prints its path.
 */
import { coreLog, type Core } from '../../core';
import { applyFix, runDiagnostics } from '../../diagnostics/diagnostics';
import { createSupportBundle } from '../../diagnostics/support-bundle';
import { bundleSections } from '../../support/bundle-store';
import type { CheckOutcome, DiagnosticsReport, FixAction } from '../../diagnostics/types';
import { EXIT } from '../exit-codes';
import type { CommandRunner } from '../index';
import type { CliIO } from '../io';
import { createProgressPrinter } from '../progress-printer';

interface DoctorFlags {
  json?: boolean;
  plain?: boolean;
  bundle?: string;
  fix?: string;
  confirm?: string;
  file?: string;
}

const SYMBOL: Record<CheckOutcome['status'], string> = {
  passed: '✔',
  warning: '⚠',
  failed: '✖',
  skipped: '–',
};

/** The command a user types to run a fix from a terminal. */
export function fixCommand(fix: FixAction): string {
  switch (fix.id) {
    case 'retry':
      return 'guildhall doctor';
    case 'start-cluster':
      return 'guildhall up';
    case 'reset-cluster':
      return 'guildhall down && guildhall up';
    case 'reset-cluster-wipe':
      return 'guildhall down --volumes && guildhall up';
  }
  const confirm = fix.confirm ? ` --confirm "${fix.confirm}"` : '';
  const file = fix.input === 'file' ? ' --file FILE' : '';
  return `guildhall doctor --fix ${fix.id}${confirm}${file}`;
}

export function formatOutcome(outcome: CheckOutcome): string {
  const muted = outcome.muted ? ' (muted)' : '';
  const lines = [`${SYMBOL[outcome.status]} ${outcome.title}${muted}: ${outcome.message}`];
  if ((outcome.status === 'failed' || outcome.status === 'warning') && !outcome.muted) {
    for (const detail of outcome.details ?? []) lines.push(`    ${detail}`);
    for (const fix of outcome.fixes) {
      if (fix.id === 'retry') continue;
      lines.push(`    fix: ${fixCommand(fix)}   # ${fix.label}`);
    }
  }
  return lines.join('\n');
}

export function formatReport(report: DiagnosticsReport): string {
  const lines = report.results.map(formatOutcome);
  const s = report.summary;
  lines.push(
    '',
    `${s.passed} passed, ${s.warning} warning(s), ${s.failed} failed, ${s.skipped} skipped${s.muted ? `, ${s.muted} muted` : ''}.`,
  );
  return `${lines.join('\n')}\n`;
}

export async function doctor(core: Core, io: CliIO, flags: DoctorFlags): Promise<number> {
  const log = await coreLog(core, 'cli.doctor');
  if (flags.fix) {
    const mode = flags.json ? 'json' : io.stderr.isTTY && !flags.plain ? 'tty' : 'plain';
    const printer = createProgressPrinter(io.stderr, mode);
    try {
      const { outcome } = await applyFix(core, flags.fix, {
        confirm: flags.confirm,
        file: flags.file,
        onProgress: printer.sink,
      });
      printer.finish();
      io.stderr.write(`Fix ${outcome.fixId}: ${outcome.message}\n`);
    } finally {
      printer.finish();
    }
  }
  const report = await runDiagnostics(core);
  let bundle: string | undefined;
  if (flags.bundle) {
    const sections = bundleSections(core);
    bundle = (await createSupportBundle(core, flags.bundle, { report, sections })).file;
  }
  log.info('doctor ran', { failed: report.failed, bundle: bundle ?? null });
  if (flags.json) {
    io.stdout.write(`${JSON.stringify(bundle ? { ...report, bundle } : report)}\n`);
  } else {
    io.stdout.write(formatReport(report));
    if (bundle) io.stdout.write(`Support bundle written to ${bundle}\n`);
  }
  return report.failed ? EXIT.checksFailed : EXIT.ok;
}

export const runDoctor: CommandRunner = (core, io, _positionals, flags) =>
  doctor(core, io, flags as DoctorFlags);
