/**
 * The settings a CLI user may read and change by name (`guildhall config set KEY VALUE`): a
 * small allow-list of cluster settings, each named by its path under `cluster` in settings.json.
 * Every change is validated through the settings schema (and a folder must exist) before
 * anything is written; an invalid value changes nothing.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { GuildhallError } from '../util/errors';
import { settingsSchema, type Settings } from './settings-schema';

type Kind = 'folder' | 'image' | 'number' | 'choice' | 'boolean';

interface ConfigKeyInfo {
  kind: Kind;
  /** What the key sets, for errors. */
  about: string;
  /** A valid value, for the fix line. */
  example: string;
  /** The environment variable that overrides the saved value in a shell, if any. */
  env?: string;
}

export const CONFIG_KEYS = {
  'workers.processorsDir': {
    kind: 'folder',
    about: 'host folder with your processor files (one queue per file), mounted read-only',
    example: './processors',
  },
  'redis.image': {
    kind: 'image',
    about: 'the Redis image',
    example: 'guildhall-offline/redis:bookworm',
    env: 'GUILDHALL_REDIS_IMAGE',
  },
  'workers.baseImage': {
    kind: 'image',
    about: 'the base image the worker image is built on (needs node ≥ 20)',
    example: 'guildhall-offline/node:bookworm',
    env: 'GUILDHALL_WORKER_BASE_IMAGE',
  },
  'workers.concurrency': {
    kind: 'number',
    about: 'jobs each worker runs at the same time, 1–1000',
    example: '10',
  },
  'workers.cpus': { kind: 'number', about: 'CPUs per worker, 0 = no limit', example: '1.5' },
  'workers.memoryMb': {
    kind: 'number',
    about: 'memory per worker in MiB, 0 = no limit',
    example: '1024',
  },
  'workers.allowPrivateNetworks': {
    kind: 'boolean',
    about:
      "whether the default pool's http jobs may reach private addresses and the host (host.docker.internal)",
    example: 'true',
  },
  'redis.persistence': {
    kind: 'choice',
    about: 'AOF fsync, everysec or always',
    example: 'always',
  },
} as const satisfies Record<string, ConfigKeyInfo>;

export type ConfigKey = keyof typeof CONFIG_KEYS;

export function configKeyNames(): ConfigKey[] {
  return Object.keys(CONFIG_KEYS) as ConfigKey[];
}

export function toConfigKey(name: string): ConfigKey {
  if (Object.hasOwn(CONFIG_KEYS, name)) return name as ConfigKey;
  throw new GuildhallError(
    'invalid-input',
    `Unknown setting "${name}".`,
    `Settings you can set: ${configKeyNames().join(', ')}.`,
  );
}

function settingPath(key: ConfigKey): string[] {
  return ['cluster', ...key.split('.')];
}

/** The saved value of a key. */
export function readConfigValue(settings: Settings, key: ConfigKey): unknown {
  let at: unknown = settings;
  for (const part of settingPath(key)) at = (at as Record<string, unknown>)[part];
  return at;
}

/** The settings with the key set to `value`, or removed (back to its default) when undefined. */
function changed(settings: Settings, key: ConfigKey, value: unknown): Settings {
  const raw = structuredClone(settings) as unknown as Record<string, unknown>;
  const parts = settingPath(key);
  const last = parts.pop()!;
  let at = raw;
  for (const part of parts) at = at[part] as Record<string, unknown>;
  if (value === undefined) delete at[last];
  else at[last] = value;
  const parsed = settingsSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new GuildhallError(
      'invalid-input',
      `Not saved: ${key} ${value === undefined ? '' : `= ${JSON.stringify(value)} `}is not valid: ${issue?.message ?? 'invalid value'}.`,
      `Example: guildhall config set ${key} ${CONFIG_KEYS[key].example} (${CONFIG_KEYS[key].about}).`,
    );
  }
  return parsed.data;
}

/** The value text typed on the command line, as the setting's type. */
async function parseValue(key: ConfigKey, text: string, cwd: string): Promise<unknown> {
  const kind: Kind = CONFIG_KEYS[key].kind;
  if (kind === 'number') return /^-?\d+(\.\d+)?$/.test(text.trim()) ? Number(text) : text;
  if (kind === 'boolean') {
    const word = text.trim().toLowerCase();
    if (word === 'true' || word === 'false') return word === 'true';
    throw new GuildhallError(
      'invalid-input',
      `Not saved: "${text.trim()}" is not true or false.`,
      'Give true or false.',
    );
  }
  if (kind === 'image' && /\s/.test(text.trim())) {
    throw new GuildhallError(
      'invalid-input',
      `Not saved: "${text.trim()}" is not an image reference (it contains a space).`,
      'Give a reference like guildhall-offline/redis:bookworm or redis:7.4-bookworm.',
    );
  }
  if (kind !== 'folder') return text.trim();
  const folder = path.resolve(cwd, text);
  const stat = await fs.stat(folder).catch(() => null);
  if (!stat) {
    throw new GuildhallError(
      'invalid-input',
      `Not saved: folder ${folder} does not exist.`,
      `Create it first (mkdir -p "${folder}"), or give an existing folder.`,
    );
  }
  if (!stat.isDirectory()) {
    throw new GuildhallError(
      'invalid-input',
      `Not saved: ${folder} is a file, not a folder.`,
      'Give the folder that holds your processor files (e.g. resize.mjs).',
    );
  }
  return folder;
}

/** Settings with KEY set to the value typed (validated; a relative folder is made absolute). */
export async function withConfigValue(
  settings: Settings,
  key: ConfigKey,
  text: string,
  cwd: string,
): Promise<Settings> {
  return changed(settings, key, await parseValue(key, text, cwd));
}

/** Settings with KEY back to its default. */
export function withoutConfigValue(settings: Settings, key: ConfigKey): Settings {
  return changed(settings, key, undefined);
}

/** The environment override in force for a key in this process, if any. */
export function configOverride(key: ConfigKey, env: NodeJS.ProcessEnv): string | null {
  const info: ConfigKeyInfo = CONFIG_KEYS[key];
  const value = info.env ? env[info.env]?.trim() : undefined;
  return value ? `${info.env}=${value}` : null;
}
