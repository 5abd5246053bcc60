/**
 * export.*: the files an export writes, for the console's Export page. Secrets' values stay out
 * (withoutSecretValues): the console shows their paths and the CLI command that writes them.
 */
import { withoutSecretValues } from '../../export/export-bundle';
import { exporterOf } from '../../export/exporters';
import { os } from './base';

export const exportProcedures = {
  preview: os.export.preview.handler(async ({ input, context }) => {
    const exporter = exporterOf(input.kind);
    const options = {
      registry: input.registry?.trim() || null,
      ...(input.namespace ? { namespace: input.namespace } : {}),
      ...(input.keda !== undefined ? { keda: input.keda } : {}),
    };
    const bundle = withoutSecretValues(await exporter.run(context.services.core, options));
    return {
      kind: input.kind,
      files: bundle.files.map(({ path, content, secret }) => ({ path, content, secret })),
      warnings: bundle.warnings,
      command: exporter.command(options),
    };
  }),
};
