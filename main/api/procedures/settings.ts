/** settings.*: read the settings, and update them with a validated partial change. */
import { os } from './base';

export const settingsProcedures = {
  get: os.settings.get.handler(async ({ context }) => {
    const { settings, warnings } = await context.services.core.settings.load();
    return { settings, warnings };
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
