/**
 * The settings file's schema: the cluster spec plus app preferences. `settingsSchema` also
 * applies the safety rules (settings-rules.ts) and is what every save and update validates with;
 * `storedSettingsShape` is the shape alone, with which an existing file is read (a file saved
 * before a rule existed still loads, and its rule problems come back as warnings).
 */
import { z } from 'zod';
import { clusterSpecSchema } from './cluster-spec';
import { checkSettingsRules } from './settings-rules';

export const SETTINGS_VERSION = 1;

export const engineSettingsSchema = z.object({
  /** A pinned engine endpoint (socket path, unix://, npipe:// or tcp:// URL); null = discover. */
  pinned: z.string().min(1).nullable().default(null),
});

export const appPreferencesSchema = z.object({
  language: z.enum(['system', 'en', 'ja']).default('system'),
  theme: z.enum(['system', 'light', 'dark']).default('system'),
  startAtLogin: z.boolean().default(false),
  startClusterOnLaunch: z.boolean().default(false),
  /** What quitting the app does with a running cluster; 'ask' until the user chooses. */
  onQuit: z.enum(['ask', 'stop', 'leave']).default('ask'),
  /** Set when the setup wizard has completed once. */
  setupCompleted: z.boolean().default(false),
  /** Diagnostics check ids the user muted: they still run, but never count as problems. */
  mutedChecks: z.array(z.string().min(1).max(100)).max(200).default([]),
});

export const storedSettingsShape = z.object({
  version: z.literal(SETTINGS_VERSION).default(SETTINGS_VERSION),
  engine: engineSettingsSchema.prefault({}),
  cluster: clusterSpecSchema.prefault({}),
  app: appPreferencesSchema.prefault({}),
});

export const settingsSchema = storedSettingsShape.superRefine(checkSettingsRules);

export type Settings = z.infer<typeof settingsSchema>;
export type AppPreferences = z.infer<typeof appPreferencesSchema>;
