/**
 * The Configure step's form: its values, their checks (the spec's limits and name rules from
 * main/shared/spec-limits.ts, plus at least one worker for the smoke test), and the settings
 * patch it saves, with the pools of the starting template chosen (pool-templates.ts). Pure.
 */
import {
  CLUSTER_NAME_PATTERN,
  FOLDER_PATTERN,
  SETUP_MIN_WORKERS,
  SPEC_LIMITS,
} from '@shared/spec-limits';
import type { ApiInputs, ApiSettings } from '../api/client';
import { NO_TEMPLATE, templatePools, templateProblem, type TemplateChoice } from './pool-templates';

export interface WizardConfig {
  name: string;
  port: number;
  persistence: 'everysec' | 'always';
  workers: number;
  concurrency: number;
  workerMemoryMb: number;
  workerCpus: number;
  processorsDir: string;
  startClusterOnLaunch: boolean;
  /** The starting template: pools added beside the default pool. */
  template: TemplateChoice;
}

export type ConfigField =
  'name' | 'port' | 'workers' | 'concurrency' | 'processorsDir' | 'template';

/** Field → the catalogue key (under wizard.configure.invalid) of what is wrong with it. */
export type ConfigErrors = Partial<Record<ConfigField, string>>;

export const MAX_WORKERS = SPEC_LIMITS.replicas.max;
export const MAX_CONCURRENCY = SPEC_LIMITS.concurrency.max;

export function configFromSettings(settings: ApiSettings): WizardConfig {
  const { cluster, app } = settings;
  return {
    name: cluster.name,
    port: cluster.redis.port,
    persistence: cluster.redis.persistence,
    workers: cluster.workers.replicas,
    concurrency: cluster.workers.concurrency,
    workerMemoryMb: cluster.workers.memoryMb,
    workerCpus: cluster.workers.cpus,
    processorsDir: cluster.workers.processorsDir ?? '',
    startClusterOnLaunch: app.startClusterOnLaunch,
    template: { ...NO_TEMPLATE },
  };
}

const isWhole = (value: number, min: number, max: number) =>
  Number.isInteger(value) && value >= min && value <= max;

export function validateConfig(config: WizardConfig): ConfigErrors {
  const errors: ConfigErrors = {};
  const { redisPort, concurrency } = SPEC_LIMITS;
  if (!CLUSTER_NAME_PATTERN.test(config.name)) errors.name = 'name';
  if (!isWhole(config.port, redisPort.min, redisPort.max)) errors.port = 'port';
  if (!isWhole(config.workers, SETUP_MIN_WORKERS, MAX_WORKERS)) errors.workers = 'workers';
  if (!isWhole(config.concurrency, concurrency.min, concurrency.max))
    errors.concurrency = 'concurrency';
  const dir = config.processorsDir.trim();
  if (dir !== '' && !FOLDER_PATTERN.test(dir)) errors.processorsDir = 'processorsDir';
  if (templateProblem(config.template)) errors.template = 'template';
  return errors;
}

export function hasErrors(errors: ConfigErrors): boolean {
  return Object.keys(errors).length > 0;
}

export type SettingsPatch = ApiInputs['settings']['update'];

/**
 * The settings the step saves. A template's pools join the pools already saved (`existing`):
 * the settings API replaces pools as a whole. Without a template, pools are left as they are.
 */
export function configPatch(
  config: WizardConfig,
  existing: NonNullable<ApiSettings['cluster']['pools']> = {},
): SettingsPatch {
  const dir = config.processorsDir.trim();
  const added = templatePools(config.template);
  const pools = Object.keys(added).length > 0 ? { pools: { ...existing, ...added } } : {};
  return {
    cluster: {
      name: config.name,
      redis: { port: config.port, persistence: config.persistence },
      workers: {
        replicas: config.workers,
        concurrency: config.concurrency,
        memoryMb: config.workerMemoryMb,
        cpus: config.workerCpus,
        processorsDir: dir === '' ? null : dir,
      },
      ...pools,
    },
    app: { startClusterOnLaunch: config.startClusterOnLaunch },
  };
}

/** Maps the server's invalid-input field paths (cluster.redis.port…) to form fields. */
export function fieldsFromServer(paths: readonly string[] | undefined): ConfigErrors {
  const errors: ConfigErrors = {};
  for (const path of paths ?? []) {
    if (path.startsWith('cluster.name')) errors.name = 'name';
    else if (path.startsWith('cluster.redis.port')) errors.port = 'port';
    else if (path.startsWith('cluster.workers.replicas')) errors.workers = 'workers';
    else if (path.startsWith('cluster.workers.concurrency')) errors.concurrency = 'concurrency';
    else if (path.startsWith('cluster.workers.processorsDir'))
      errors.processorsDir = 'processorsDir';
    else if (path.startsWith('cluster.pools')) errors.template = 'template';
  }
  return errors;
}
