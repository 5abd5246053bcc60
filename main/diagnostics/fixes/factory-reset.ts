/**
 * `factory-reset`: settings.json is moved aside as a backup and defaults load; confirm =
 * FACTORY_RESET_CONFIRM. Secrets are KEPT: the Redis password guards the data on the volume, and
 * a new one would only recreate Redis. Containers are not touched.
 */
import fs from 'node:fs/promises';
import { requireConfirmation, type Fix } from './fix';

export const FACTORY_RESET_CONFIRM = 'reset settings';

export const factoryReset: Fix = {
  id: 'factory-reset',
  async run(run) {
    requireConfirmation(run, FACTORY_RESET_CONFIRM);
    const { core, spec } = run;
    const file = core.settings.paths.settings;
    const backup = `${file}.factory-reset-${new Date().toISOString().replace(/[:.]/g, '-')}.bak`;
    try {
      await fs.rename(file, backup);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
    const { spec: fresh } = await core.cluster.spec();
    const note =
      fresh.name === spec.name ? '' : ` The containers of cluster ${spec.name} were not touched.`;
    return `Settings were reset to defaults; the old settings are kept as ${backup}. The Redis password was kept.${note}`;
  },
};
