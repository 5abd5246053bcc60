/**
 * The settings form's model: the editable fields as the inputs hold them (numbers as text, so a
 * half-typed value can be shown and explained), their validation (the core's limits from
 * main/shared/spec-limits.ts, checked here with zod so mistakes show before saving), the patch
 * of what changed, and which changes need the cluster recreated. Pure, for testing.
 */
import { FOLDER_PATTERN, SPEC_LIMITS } from '@shared/spec-limits';
import { z } from 'zod';
import type { ApiSettings } from '../api/client';
import type { MessageKey } from '../i18n/i18n.svelte';
import type { SettingsPatch } from './settings-store.svelte';

export interface SettingsForm {
  replicas: string;
  concurrency: string;
  cpus: string;
  memoryMb: string;
  redisPort: string;
  persistence: 'everysec' | 'always';
  redisImage: string;
  workerImage: string;
  processorsDir: string;
  language: 'system' | 'en' | 'ja';
  theme: 'system' | 'light' | 'dark';
  startAtLogin: boolean;
  startClusterOnLaunch: boolean;
  onQuit: 'ask' | 'stop' | 'leave';
}

export type FieldName = keyof SettingsForm;

export interface FieldError {
  key: MessageKey;
  params?: Record<string, string | number>;
  /** A message from the server, shown as it came. */
  text?: string;
}

/** Where each field lives in the settings (as the API names fields in validation errors). */
export const FIELD_PATHS: Record<FieldName, string> = {
  replicas: 'cluster.workers.replicas',
  concurrency: 'cluster.workers.concurrency',
  cpus: 'cluster.workers.cpus',
  memoryMb: 'cluster.workers.memoryMb',
  redisPort: 'cluster.redis.port',
  persistence: 'cluster.redis.persistence',
  redisImage: 'cluster.redis.image',
  workerImage: 'cluster.workers.baseImage',
  processorsDir: 'cluster.workers.processorsDir',
  language: 'app.language',
  theme: 'app.theme',
  startAtLogin: 'app.startAtLogin',
  startClusterOnLaunch: 'app.startClusterOnLaunch',
  onQuit: 'app.onQuit',
};

/** The ranges of the numeric fields: the spec's own. */
export const LIMITS = {
  replicas: SPEC_LIMITS.replicas,
  concurrency: SPEC_LIMITS.concurrency,
  cpus: SPEC_LIMITS.cpus,
  memoryMb: SPEC_LIMITS.memoryMb,
  redisPort: SPEC_LIMITS.redisPort,
} as const;

export function formFromSettings(settings: ApiSettings): SettingsForm {
  const { redis, workers } = settings.cluster;
  return {
    replicas: String(workers.replicas),
    concurrency: String(workers.concurrency),
    cpus: String(workers.cpus),
    memoryMb: String(workers.memoryMb),
    redisPort: String(redis.port),
    persistence: redis.persistence,
    redisImage: redis.image,
    workerImage: workers.baseImage,
    processorsDir: workers.processorsDir ?? '',
    language: settings.app.language,
    theme: settings.app.theme,
    startAtLogin: settings.app.startAtLogin,
    startClusterOnLaunch: settings.app.startClusterOnLaunch,
    onQuit: settings.app.onQuit,
  };
}

const numberText = z
  .string()
  .trim()
  .regex(/^\d+(\.\d+)?$/)
  .transform(Number);
const integerText = z.string().trim().regex(/^\d+$/).transform(Number);
const imageRef = z
  .string()
  .trim()
  .regex(/^[^\s]+$/);
const folder = z.string().trim().regex(FOLDER_PATTERN);

function integerIn(field: keyof typeof LIMITS, text: string): number | FieldError {
  const { min, max } = LIMITS[field];
  const parsed = integerText.safeParse(text);
  if (parsed.success && parsed.data >= min && parsed.data <= max) return parsed.data;
  return { key: 'settings.validation.integer', params: { min, max } };
}

function numberIn(field: keyof typeof LIMITS, text: string): number | FieldError {
  const { min, max } = LIMITS[field];
  const parsed = numberText.safeParse(text);
  if (parsed.success && parsed.data >= min && parsed.data <= max) return parsed.data;
  return { key: 'settings.validation.number', params: { min, max } };
}

const isError = (value: unknown): value is FieldError =>
  typeof value === 'object' && value !== null && 'key' in value;

/** The fields' problems (none: an empty object). */
export function validateForm(form: SettingsForm): Partial<Record<FieldName, FieldError>> {
  const errors: Partial<Record<FieldName, FieldError>> = {};
  const checks: [FieldName, number | FieldError][] = [
    ['replicas', integerIn('replicas', form.replicas)],
    ['concurrency', integerIn('concurrency', form.concurrency)],
    ['cpus', numberIn('cpus', form.cpus)],
    ['memoryMb', integerIn('memoryMb', form.memoryMb)],
    ['redisPort', integerIn('redisPort', form.redisPort)],
  ];
  for (const [field, result] of checks) if (isError(result)) errors[field] = result;
  if (!imageRef.safeParse(form.redisImage).success)
    errors.redisImage = { key: 'settings.validation.image' };
  if (!imageRef.safeParse(form.workerImage).success)
    errors.workerImage = { key: 'settings.validation.image' };
  if (form.processorsDir.trim() !== '' && !folder.safeParse(form.processorsDir).success)
    errors.processorsDir = { key: 'settings.validation.folder' };
  return errors;
}

/** What changed between the saved settings and a valid form, as a settings patch. */
export function patchFrom(form: SettingsForm, saved: ApiSettings): SettingsPatch {
  const { redis, workers } = saved.cluster;
  const redisPatch: NonNullable<NonNullable<SettingsPatch['cluster']>['redis']> = {};
  const workersPatch: NonNullable<NonNullable<SettingsPatch['cluster']>['workers']> = {};
  const appPatch: NonNullable<SettingsPatch['app']> = {};

  const replicas = Number(form.replicas.trim());
  const concurrency = Number(form.concurrency.trim());
  const cpus = Number(form.cpus.trim());
  const memoryMb = Number(form.memoryMb.trim());
  const port = Number(form.redisPort.trim());
  const processorsDir = form.processorsDir.trim() || null;

  if (replicas !== workers.replicas) workersPatch.replicas = replicas;
  if (concurrency !== workers.concurrency) workersPatch.concurrency = concurrency;
  if (cpus !== workers.cpus) workersPatch.cpus = cpus;
  if (memoryMb !== workers.memoryMb) workersPatch.memoryMb = memoryMb;
  if (form.workerImage.trim() !== workers.baseImage)
    workersPatch.baseImage = form.workerImage.trim();
  if (processorsDir !== workers.processorsDir) workersPatch.processorsDir = processorsDir;
  if (port !== redis.port) redisPatch.port = port;
  if (form.persistence !== redis.persistence) redisPatch.persistence = form.persistence;
  if (form.redisImage.trim() !== redis.image) redisPatch.image = form.redisImage.trim();

  const app = saved.app;
  if (form.language !== app.language) appPatch.language = form.language;
  if (form.theme !== app.theme) appPatch.theme = form.theme;
  if (form.startAtLogin !== app.startAtLogin) appPatch.startAtLogin = form.startAtLogin;
  if (form.startClusterOnLaunch !== app.startClusterOnLaunch)
    appPatch.startClusterOnLaunch = form.startClusterOnLaunch;
  if (form.onQuit !== app.onQuit) appPatch.onQuit = form.onQuit;

  const patch: SettingsPatch = {};
  const cluster: NonNullable<SettingsPatch['cluster']> = {};
  if (Object.keys(redisPatch).length > 0) cluster.redis = redisPatch;
  if (Object.keys(workersPatch).length > 0) cluster.workers = workersPatch;
  if (Object.keys(cluster).length > 0) patch.cluster = cluster;
  if (Object.keys(appPatch).length > 0) patch.app = appPatch;
  return patch;
}

export function isEmptyPatch(patch: SettingsPatch): boolean {
  return Object.keys(patch).length === 0;
}

/** Changes to the cluster's containers only take effect when the cluster is recreated (`up`). */
export function needsRecreate(patch: SettingsPatch): boolean {
  return patch.cluster !== undefined;
}

/** Field errors from the API's invalid-input error (`fields` holds setting paths). */
export function serverFieldErrors(
  fields: readonly string[] | undefined,
  message: string,
): Partial<Record<FieldName, FieldError>> {
  const errors: Partial<Record<FieldName, FieldError>> = {};
  for (const [name, path] of Object.entries(FIELD_PATHS) as [FieldName, string][]) {
    if (fields?.some((f) => f === path || f.startsWith(`${path}.`)))
      errors[name] = { key: 'settings.validation.server', text: message };
  }
  return errors;
}
