/** The settings file's schema: the cluster spec plus app preferences. */
import { z } from 'zod';
import { clusterSpecSchema } from './cluster-spec';

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

export const settingsSchema = z.object({
  version: z.literal(SETTINGS_VERSION).default(SETTINGS_VERSION),
  engine: engineSettingsSchema.prefault({}),
  cluster: clusterSpecSchema.prefault({}),
  app: appPreferencesSchema.prefault({}),
});

export type Settings = z.infer<typeof settingsSchema>;
export type AppPreferences = z.infer<typeof appPreferencesSchema>;
