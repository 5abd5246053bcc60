/** The audit log of every state-changing action: who did what, through which face, and how it went. */
export * from './audit-entry';
export { AuditLog, AUDIT_FILE, type AuditProblem, type AuditVerifyReport } from './audit-log';
export { auditArgs } from './audit-args';
export * from './audit-query';
export * from './record';
