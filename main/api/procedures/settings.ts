/** settings.*: read the settings, and update them with a validated partial change. */
import { homedir } from 'node:os';
import { settingsSchema, type Settings } from '../../settings/settings-schema';
import { describeZodError } from '../../settings/settings-store';
import { GuildhallError } from '../../util/errors';
import { os } from './base';

type Plain = Record<string, unknown>;

function isPlain(value: unknown): value is Plain {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Objects merge key by key; arrays, `env` and scalars replace. */
export function mergeSettings(current: Plain, patch: Plain): Plain {
  const out: Plain = { ...current };
  for (const [key, value] of Object.entries(patch)) {
    if (value === undefined) continue;
    const existing = out[key];
    out[key] =
      key !== 'env' && isPlain(existing) && isPlain(value) ? mergeSettings(existing, value) : value;
  }
  return out;
}

export const settingsProcedures = {
  get: os.settings.get.handler(async ({ context }) => {
    const { core } = context.services;
    // The cluster spec's first load picks a free Redis port; do it before reading.
    const first = await core.cluster.spec();
    const { settings, warnings } = await core.settings.load();
    return {
      settings,
      warnings: [...first.warnings, ...warnings],
      imageOverrides: core.cluster.imageOverrides(),
      homeFolder: homedir(),
    };
  }),

  update: os.settings.update.handler(async ({ input, context }) => {
    const { services } = context;
    await services.core.cluster.spec();
    const saved = await services.core.settings.update((current): Settings => {
      const parsed = settingsSchema.safeParse(mergeSettings(current, input));
      if (!parsed.success) {
        throw new GuildhallError(
          'invalid-input',
          `Settings not saved: ${describeZodError(parsed.error)}.`,
          'Correct the value and save again.',
          { fields: parsed.error.issues.map((issue) => issue.path.join('.') || '(settings)') },
        );
      }
      return parsed.data;
    });
    services.hub.publish('log', {
      level: 'info',
      message: 'Settings saved',
      operation: 'settings.update',
    });
    return saved;
  }),
};
