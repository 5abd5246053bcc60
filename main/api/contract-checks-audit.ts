/**
 * Compile-time guard for the audit schemas (as main/api/contract-checks.ts does for the rest):
 * if the core's audit types change, `tsc` fails here. Nothing in this file runs.
 */
import type { z } from 'zod';
import type { AuditEntry, AuditFace } from '../audit/audit-entry';
import type { AuditVerifyReport } from '../audit/audit-log';
import type * as a from '@shared/schemas/audit';

type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type Check<T extends true> = T;

export type AuditContractChecks = [
  Check<Same<(typeof a.AUDIT_FACE_NAMES)[number], AuditFace>>,
  Check<Same<z.output<typeof a.auditEntrySchema>, AuditEntry>>,
  Check<Same<z.output<typeof a.auditVerifySchema>, AuditVerifyReport>>,
];
