/** settings.*: read the settings, and update them with a validated partial change. */
import { homedir } from 'node:os';
import { os } from './base';

export const settingsProcedures = {
  get: os.settings.get.handler(async ({ context }) => {
    const { core } = context.services;
    const { settings, warnings } = await core.settings.load();
    return {
      settings,
      warnings,
      imageOverrides: core.cluster.imageOverrides(),
      homeFolder: homedir(),
    };
  }),

  update: os.settings.update.handler(async ({ input, context }) => {
    const { services } = context;
    const saved = await services.core.settings.patch(input);
    services.hub.publish('log', {
      level: 'info',
      message: 'Settings saved',
      operation: 'settings.update',
    });
    return saved;
  }),
};
