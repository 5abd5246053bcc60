/**
 * Compile-time guard for the diagnostics and setup schemas (as main/api/contract-checks.ts does
 * for the rest): if a core type changes, `tsc` fails here. Nothing in this file runs.
 */
import type { z } from 'zod';
import type { CheckOutcome, DiagnosticsReport, FixAction } from '../diagnostics/types';
import type { HostResources } from '../setup/host-resources';
import type { PortCheck } from '../setup/port-check';
import type { SetupState } from '../setup/setup-state';
import type { SmokeTestResult } from '../setup/smoke-test';
import type { AppLogTail } from '../support/app-log-tail';
import type * as d from '@shared/schemas/diagnostics';
import type * as s from '@shared/schemas/setup';

type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type Check<T extends true> = T;

export type DiagnosticsContractChecks = [
  Check<Same<z.output<typeof d.fixActionSchema>, FixAction>>,
  Check<Same<z.output<typeof d.checkOutcomeSchema>, CheckOutcome>>,
  Check<Same<z.output<typeof d.diagnosticsReportSchema>, DiagnosticsReport>>,
  Check<Same<z.output<typeof d.appLogTailSchema>, AppLogTail>>,
  Check<Same<z.output<typeof d.firstLaunchSchema>, SetupState>>,
  Check<Same<z.output<typeof s.hostResourcesSchema>, HostResources>>,
  Check<Same<z.output<typeof s.portCheckSchema>, PortCheck>>,
  Check<Same<z.output<typeof s.smokeTestResultSchema>, SmokeTestResult>>,
];
