/**
 * Diagnostics and the app's own log as the API sends them: check results, fixes, the support
 * bundle, and where the browser console downloads files from. Mirrors main/diagnostics/types.ts
 * (checked by main/api/contract-checks.ts). Browser-safe: zod only.
 */
import { z } from 'zod';
import { int, operationIdSchema } from './cluster';

/** Authenticated GET routes of the browser console for files (token in X-Guildhall-Token). */
export const DOWNLOADS = {
  prefix: '/download/',
  supportBundle: '/download/support-bundle/',
  appLog: '/download/app-log',
} as const;

export const checkCategorySchema = z.enum([
  'engine',
  'network',
  'images',
  'redis',
  'workers',
  'jobs',
  'host',
]);

export const fixActionSchema = z.object({
  id: z.string(),
  label: z.string(),
  destructive: z.boolean().optional(),
  confirm: z.string().optional(),
  input: z.literal('file').optional(),
});

export const checkOutcomeSchema = z.object({
  id: z.string(),
  category: checkCategorySchema,
  title: z.string(),
  documentation: z.string(),
  status: z.enum(['passed', 'failed', 'warning', 'skipped']),
  message: z.string(),
  details: z.array(z.string()).optional(),
  fixes: z.array(fixActionSchema),
  muted: z.boolean(),
  durationMs: z.number(),
});

export const diagnosticsSummarySchema = z.object({
  passed: int,
  failed: int,
  warning: int,
  skipped: int,
  muted: int,
});

export const diagnosticsReportSchema = z.object({
  at: z.number(),
  durationMs: z.number(),
  results: z.array(checkOutcomeSchema),
  summary: diagnosticsSummarySchema,
  failed: z.boolean(),
});

/** A run's report plus the cluster-wide actions the page offers whatever the checks say. */
export const diagnosticsRunResultSchema = diagnosticsReportSchema.extend({
  generalFixes: z.array(fixActionSchema),
});

const checkIdSchema = z.string().regex(/^[a-z][a-z0-9.-]{0,99}$/);

export const diagnosticsRunInputSchema = z
  .strictObject({ ids: z.array(checkIdSchema).min(1).max(50).optional() })
  .optional();

export const diagnosticsFixInputSchema = z.strictObject({
  /** A fix id as offered, possibly with a target: `restart-worker:2`. */
  fixId: z.string().regex(/^[a-z][a-z-]{0,39}(:[A-Za-z0-9._-]{1,60})?$/),
  /** The check that offered it; it is run again afterwards. */
  checkId: checkIdSchema.optional(),
  /** The typed confirmation of a destructive fix. */
  confirm: z.string().max(200).optional(),
  /** A file on the machine running Guildhall (image tarball for load-image). */
  file: z.string().min(1).max(4096).optional(),
  operationId: operationIdSchema.optional(),
});

export const diagnosticsFixResultSchema = z.object({
  outcome: z.object({ fixId: z.string(), message: z.string() }),
  recheck: checkOutcomeSchema.nullable(),
});

export const diagnosticsMuteInputSchema = z.strictObject({
  id: checkIdSchema,
  muted: z.boolean(),
});

export const supportBundleSchema = z.object({
  /** Where the zip was written, on the machine running Guildhall. */
  path: z.string(),
  fileName: z.string(),
  entries: z.array(z.string()),
  sizeBytes: int,
  /** For the browser console: an authenticated GET path to download it; null in the app. */
  downloadUrl: z.string().nullable(),
  /** The app can open it with the system (Electron); the browser cannot. */
  canOpen: z.boolean(),
});

export const appLogEntrySchema = z.object({
  at: z.string().nullable(),
  level: z.enum(['debug', 'info', 'warn', 'error']).nullable(),
  scope: z.string().nullable(),
  message: z.string(),
  fields: z.string(),
});

export const appLogTailInputSchema = z
  .strictObject({ lines: int.min(1).max(2_000).optional() })
  .optional();

export const appLogTailSchema = z.object({
  file: z.string(),
  entries: z.array(appLogEntrySchema),
  sizeBytes: int,
});

export const appLogPathSchema = z.object({
  path: z.string(),
  downloadUrl: z.string().nullable(),
  canOpen: z.boolean(),
});

export const openPathInputSchema = z.strictObject({ path: z.string().min(1).max(4096) });

export const firstLaunchSchema = z.object({
  setupCompleted: z.boolean(),
  clusterExists: z.boolean().nullable(),
  shouldRunSetup: z.boolean(),
});
