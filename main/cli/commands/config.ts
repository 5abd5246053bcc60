/**
 * `config get [KEY]`, `config set KEY VALUE`, `config unset KEY`: the allow-listed settings
 * (main/settings/config-keys.ts) for CLI-only users, who would otherwise edit settings.json.
 * A change is saved for good and applies at the next `guildhall up`.
 */
import {
  CONFIG_KEYS,
  configKeyNames,
  configOverride,
  readConfigValue,
  toConfigKey,
  withConfigValue,
  withoutConfigValue,
  type ConfigKey,
} from '../../settings/config-keys';
import type { Settings } from '../../settings/settings-schema';
import { GuildhallError } from '../../util/errors';
import { EXIT } from '../exit-codes';
import type { CommandRunner } from '../index';
import type { CliIO } from '../io';

const EXAMPLE = 'Example: guildhall config set workers.processorsDir ./processors';

function show(value: unknown): string {
  return value === null ? '(not set)' : typeof value === 'string' ? value : JSON.stringify(value);
}

function describe(settings: Settings, key: ConfigKey): string {
  const override = configOverride(key, process.env);
  const note = override ? `  (${override} overrides it in this shell)` : '';
  return `${key} = ${show(readConfigValue(settings, key))}${note}`;
}

function report(io: CliIO, json: boolean, settings: Settings, keys: ConfigKey[]): void {
  if (json) {
    const values = Object.fromEntries(keys.map((key) => [key, readConfigValue(settings, key)]));
    io.stdout.write(`${JSON.stringify(values)}\n`);
  } else io.stdout.write(`${keys.map((key) => describe(settings, key)).join('\n')}\n`);
}

export const runConfig: CommandRunner = async (core, io, positionals, flags) => {
  const [action, name, value, ...extra] = positionals;
  const json = flags.json === true;
  // The first load of settings picks the free Redis port; do it before reading or changing.
  await core.cluster.spec();
  if (action === 'get' && value === undefined) {
    const { settings } = await core.settings.load();
    report(io, json, settings, name === undefined ? configKeyNames() : [toConfigKey(name)]);
    return EXIT.ok;
  }
  if (action === 'set' && name !== undefined && value !== undefined && extra.length === 0) {
    const key = toConfigKey(name);
    const { settings: current } = await core.settings.load();
    const next = await withConfigValue(current, key, value, process.cwd());
    await core.settings.save(next);
    return saved(io, json, next, key);
  }
  if (action === 'unset' && name !== undefined && value === undefined) {
    const key = toConfigKey(name);
    const next = await core.settings.update((current) => withoutConfigValue(current, key));
    return saved(io, json, next, key);
  }
  throw new GuildhallError(
    'invalid-input',
    'config needs get [KEY], set KEY VALUE or unset KEY.',
    `${EXAMPLE}. Keys: ${configKeyNames().join(', ')}.`,
  );
};

function saved(io: CliIO, json: boolean, settings: Settings, key: ConfigKey): number {
  report(io, json, settings, [key]);
  if (!json) {
    io.stderr.write(
      `Saved. ${CONFIG_KEYS[key].kind === 'folder' ? 'Workers mount it' : 'It applies'} from the next \`guildhall up\`.\n`,
    );
  }
  return EXIT.ok;
}
