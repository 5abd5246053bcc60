/**
 * Loads and saves settings.json. Writes are atomic. A file that is not valid JSON or does not
 * match the schema is never thrown away: it is renamed to a `.corrupt-<time>` backup, defaults
 * load, and the caller gets a warning to show the user. The store owns the first-run choice
 * (the first free Redis port from 6379, written at once so every face sees it, whichever reads
 * settings first) and how a partial change merges into the settings.
 */
import fs from 'node:fs/promises';
import { z } from 'zod';
import { GuildhallError } from '../util/errors';
import { findFreePort } from '../util/ports';
import { readFileIfExists, writeFileAtomic } from './atomic-file';
import { appPaths, type AppPaths } from './paths';
import { DEFAULT_REDIS_PORT } from './cluster-spec';
import { protectAppFolder } from './settings-rules';
import { settingsSchema, storedSettingsShape, type Settings } from './settings-schema';

export interface LoadedSettings {
  settings: Settings;
  /** True when no settings file existed (first launch). */
  created: boolean;
  /** User-facing notes, e.g. that a corrupt file was backed up. */
  warnings: string[];
}

/** Shapes the first settings from the defaults, when no settings file exists yet. */
export type FirstRun = (defaults: Settings) => Promise<Settings> | Settings;

/** The first settings: the defaults, with the first free Redis port from 6379. */
export async function firstRunSettings(defaults: Settings): Promise<Settings> {
  const port = (await findFreePort(DEFAULT_REDIS_PORT)) ?? DEFAULT_REDIS_PORT;
  return {
    ...defaults,
    cluster: { ...defaults.cluster, redis: { ...defaults.cluster.redis, port } },
  };
}

/** A partial change to the settings: objects merge key by key; arrays, `env` and scalars replace. */
export type SettingsPatch = { [key: string]: unknown };

type Plain = Record<string, unknown>;

function isPlain(value: unknown): value is Plain {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Objects whose patch replaces them whole: worker env, and the pools (a pool left out goes). */
const REPLACED_WHOLE: ReadonlySet<string> = new Set(['env', 'pools']);

/** Objects merge key by key; arrays, `env`, `pools` and scalars replace; undefined leaves a value. */
export function mergeSettings(current: Plain, patch: Plain): Plain {
  const out: Plain = { ...current };
  for (const [key, value] of Object.entries(patch)) {
    if (value === undefined) continue;
    const existing = out[key];
    out[key] =
      !REPLACED_WHOLE.has(key) && isPlain(existing) && isPlain(value)
        ? mergeSettings(existing, value)
        : value;
  }
  return out;
}

export class SettingsStore {
  readonly paths: AppPaths;
  private readonly firstRun: FirstRun;

  constructor(root: string, options: { firstRun?: FirstRun } = {}) {
    this.paths = appPaths(root);
    protectAppFolder(root);
    this.firstRun = options.firstRun ?? firstRunSettings;
  }

  async exists(): Promise<boolean> {
    return (await readFileIfExists(this.paths.settings)) !== null;
  }

  /**
   * Reads settings. When no file exists, the first-run choice shapes the first settings, which
   * are written at once so every face sees the same choice (e.g. the free Redis port).
   */
  async load(): Promise<LoadedSettings> {
    const text = await readFileIfExists(this.paths.settings);
    if (text === null) {
      const settings = await this.firstRun(settingsSchema.parse({}));
      await this.save(settings);
      return { settings, created: true, warnings: [] };
    }
    const problem = parseProblem(text);
    if (problem.ok) {
      return {
        settings: problem.settings,
        created: false,
        warnings: ruleWarnings(problem.settings),
      };
    }

    const backup = `${this.paths.settings}.corrupt-${new Date().toISOString().replace(/[:.]/g, '-')}`;
    await fs.rename(this.paths.settings, backup);
    const settings = settingsSchema.parse({});
    await this.save(settings);
    return {
      settings,
      created: false,
      warnings: [
        `Your settings file could not be used (${problem.reason}). It was kept as ${backup} and Guildhall started from default settings.`,
      ],
    };
  }

  async save(settings: Settings): Promise<void> {
    const valid = settingsSchema.safeParse(settings);
    if (!valid.success) {
      throw new GuildhallError(
        'settings-invalid',
        `Settings not saved: ${describeZodError(valid.error)}`,
        'Correct the value and save again.',
      );
    }
    await writeFileAtomic(this.paths.settings, `${JSON.stringify(valid.data, null, 2)}\n`, 0o600);
  }

  /** Read-modify-write helper. */
  async update(change: (current: Settings) => Settings): Promise<Settings> {
    const { settings } = await this.load();
    const next = change(settings);
    await this.save(next);
    return next;
  }

  /**
   * Merges a partial change into the settings and saves them when the result is valid; else
   * throws invalid-input naming each wrong field (as `fields`, setting paths).
   */
  async patch(patch: SettingsPatch): Promise<Settings> {
    return this.update((current) => {
      const parsed = settingsSchema.safeParse(mergeSettings(current, patch));
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
  }
}

function parseProblem(
  text: string,
): { ok: true; settings: Settings } | { ok: false; reason: string } {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    return { ok: false, reason: `not valid JSON: ${(err as Error).message}` };
  }
  const parsed = storedSettingsShape.safeParse(raw);
  if (!parsed.success) return { ok: false, reason: describeZodError(parsed.error) };
  return { ok: true, settings: parsed.data };
}

/** A file saved before a safety rule existed loads; what breaks a rule is named to fix. */
function ruleWarnings(settings: Settings): string[] {
  const checked = settingsSchema.safeParse(settings);
  if (checked.success) return [];
  return [
    `Some saved settings are no longer accepted and must be changed before settings can be saved again: ${describeZodError(checked.error)}.`,
  ];
}

/** "cluster.workers.replicas: Too big: expected number to be <=64" — first few issues only. */
export function describeZodError(error: z.ZodError, max = 3): string {
  const parts = error.issues.slice(0, max).map((issue) => {
    const where = issue.path.length ? issue.path.join('.') : 'value';
    return `${where}: ${issue.message}`;
  });
  const more = error.issues.length > max ? ` (and ${error.issues.length - max} more)` : '';
  return parts.join('; ') + more;
}
