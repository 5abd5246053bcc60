/**
 * The exports by kind, for every face (CLI `export <kind>`, API `export.preview`): each kind is
 * a function from the core and the options to a bundle of files. A kind not in this build says
 * so.
 */
import type { ExportKind } from '@shared/schemas/export';
import type { Core } from '../core';
import { GuildhallError } from '../util/errors';
import { composeExport, DEFAULT_COMPOSE_FILE } from './compose-export';
import type { ExportBundle } from './export-bundle';
import { exportClusterToKubernetes } from './kubernetes-source';

export interface ExportOptions {
  /** Refer to the pools' images under this registry (after `guildhall image push`). */
  registry?: string | null;
  /** Kubernetes: the manifests' namespace. */
  namespace?: string;
  /** Kubernetes: KEDA ScaledObjects for autoscaled pools. */
  keda?: boolean;
  /** The main file's name (compose: compose.yaml). */
  fileName?: string;
}

export interface Exporter {
  run(core: Core, options: ExportOptions): Promise<ExportBundle>;
  /** The CLI command that writes the bundle, secrets included. */
  command(options: ExportOptions): string;
  /** `--out` names a folder (Kubernetes: one file per manifest), not the main file (compose). */
  outIsFolder: boolean;
}

export const EXPORTERS: Partial<Record<ExportKind, Exporter>> = {
  compose: {
    outIsFolder: false,
    run: (core, options) => composeExport(core, options),
    command: (options) =>
      `guildhall export compose --out ${options.fileName ?? DEFAULT_COMPOSE_FILE}${
        options.registry ? ` --registry ${options.registry}` : ''
      }`,
  },
  kubernetes: {
    outIsFolder: true,
    run: async (core, options) => {
      const result = await exportClusterToKubernetes(core, {
        namespace: options.namespace ?? null,
        keda: options.keda === true,
        registry: options.registry ?? null,
      });
      return {
        // One file per object, `NN-kind-name.yaml`: the Secrets' files hold secret values.
        files: result.files.map((f) => ({ ...f, secret: /^\d{2}-secret-/.test(f.path) })),
        warnings: result.warnings,
      };
    },
    command: (options) =>
      `guildhall export kubernetes${options.namespace ? ` --namespace ${options.namespace}` : ''}${
        options.keda ? ' --keda' : ''
      }${options.registry ? ` --registry ${options.registry}` : ''} --out k8s`,
  },
};

export function exporterOf(kind: ExportKind): Exporter {
  const exporter = EXPORTERS[kind];
  if (!exporter) {
    throw new GuildhallError(
      'invalid-input',
      `The ${kind} export is not in this version of Guildhall.`,
      'Use the compose export: guildhall export compose --out compose.yaml',
    );
  }
  return exporter;
}
