/**
 * Exports of the cluster to other engines (issue 18) as the API sends them: one procedure for
 * every kind, `export.preview({ kind })`, returning the files the export writes. A file holding a
 * secret comes with its path and `secret: true` but never its value (the CLI writes those, with
 * `guildhall export <kind> --out`). Browser-safe: zod only.
 */
import { z } from 'zod';

export const exportKindSchema = z.enum(['compose', 'kubernetes']);
export type ExportKind = z.infer<typeof exportKindSchema>;

export const exportPreviewInputSchema = z.strictObject({
  kind: exportKindSchema,
  /** Refer to the pools' images under this registry (after `guildhall image push`). */
  registry: z.string().max(255).optional(),
  /** Kubernetes only: the namespace of the manifests. */
  namespace: z.string().max(63).optional(),
  /** Kubernetes only: a KEDA ScaledObject for each autoscaled pool. */
  keda: z.boolean().optional(),
});

export const exportFileSchema = z.object({
  /** Relative to the export's folder (compose.yaml, secrets/redis-password…). */
  path: z.string(),
  /** The text; empty for a secret. */
  content: z.string(),
  /** Holds a secret: its value is never sent. */
  secret: z.boolean(),
});

export const exportPreviewSchema = z.object({
  kind: exportKindSchema,
  files: z.array(exportFileSchema),
  /** What to do before the files run (an image not built yet…), in English. */
  warnings: z.array(z.string()),
  /** The CLI command that writes these files with their secrets. */
  command: z.string(),
});
