/**
 * Settings as the API sends and accepts them. The shape mirrors main/settings/settings-schema.ts
 * (main/api/contract-checks.ts keeps them equal); ranges and defaults are checked by that schema
 * on the server, after a patch is merged. Browser-safe: zod only.
 */
import { z } from 'zod';
import { alertRuleIdSchema } from './alerts';
import { int } from './cluster';

const engineSettings = z.object({ pinned: z.string().nullable() });

const externalRedisSettings = z.object({
  url: z.string(),
  passwordSecret: z.string().nullable(),
  caFile: z.string().nullable(),
});

const redisSettings = z.object({
  external: externalRedisSettings.nullable(),
  image: z.string(),
  port: int,
  persistence: z.enum(['everysec', 'always']),
  memoryMb: int,
});

const mountSettings = z.object({ source: z.string(), target: z.string(), readOnly: z.boolean() });

const queueBindingSettings = z.union([
  z.string(),
  z.object({ name: z.string(), processor: z.string() }),
]);

const autoscaleSettings = z
  .object({ min: int, max: int, backlogPerWorker: int, cooldownSeconds: int })
  .nullable();

const supervisorSettings = z.object({
  enabled: z.boolean(),
  unhealthyChecks: int,
  memoryMarginMb: int,
  cpuSaturatedPercent: z.number(),
});

const queueLimitSettings = z.object({
  concurrency: int.nullable(),
  rateLimit: z.object({ max: int, durationMs: int }).nullable(),
});

const ruleMute = { muted: z.boolean() };
/** The cluster spec's `alerts` (main/settings/alerts-spec.ts). */
export const alertsSettings = z.object({
  rules: z.object({
    crashLoop: z.object(ruleMute),
    oomKill: z.object({ ...ruleMute, holdMinutes: int }),
    failureRate: z.object({ ...ruleMute, percent: int, minFailures: int, windowMinutes: int }),
    oldestWaiting: z.object({ ...ruleMute, minutes: int }),
    redisMemory: z.object({ ...ruleMute, percent: int }),
    diskLow: z.object({ ...ruleMute, freeMb: int }),
    engineUnreachable: z.object({ ...ruleMute, checks: int }),
    imageBuildFailed: z.object(ruleMute),
  }),
  webhooks: z.array(
    z.object({
      name: z.string(),
      urlSecret: z.string(),
      format: z.enum(['json', 'slack']),
      rules: z.array(alertRuleIdSchema),
    }),
  ),
});

/** The network a pool joins (main/settings/pool-spec.ts, POOL_NETWORKS). */
const poolNetworkSettings = z.enum(['default', 'internal']);

/** A pool besides the default one (main/settings/pool-spec.ts). */
const poolSettings = z.object({
  replicas: int,
  cpus: z.number(),
  memoryMb: int,
  env: z.record(z.string(), z.string()),
  secrets: z.array(z.string()),
  mounts: z.array(mountSettings),
  stopTimeoutSeconds: int,
  concurrency: int,
  shell: z.boolean(),
  packages: z.array(z.string()),
  dockerfile: z.string().nullable(),
  queues: z.array(queueBindingSettings),
  image: z.string().nullable(),
  build: z.object({ context: z.string(), dockerfile: z.string() }).nullable(),
  command: z.array(z.string()).nullable(),
  healthcheck: z.array(z.string()).nullable(),
  watch: z.object({ celery: z.array(z.string()) }),
  redisUrlEnv: z.string().nullable(),
  autoscale: autoscaleSettings,
  allowPrivateNetworks: z.boolean(),
  network: poolNetworkSettings,
});

const workerSettings = z.object({
  baseImage: z.string(),
  replicas: int,
  concurrency: int,
  cpus: z.number(),
  memoryMb: int,
  env: z.record(z.string(), z.string()),
  queues: z.array(z.string()),
  processorsDir: z.string().nullable(),
  allowPrivateNetworks: z.boolean(),
  stopTimeoutSeconds: int,
  shell: z.boolean(),
  packages: z.array(z.string()),
  dockerfile: z.string().nullable(),
  secrets: z.array(z.string()),
  mounts: z.array(mountSettings),
  autoscale: autoscaleSettings,
  network: poolNetworkSettings,
});

const appSettings = z.object({
  language: z.enum(['system', 'en', 'ja']),
  theme: z.enum(['system', 'light', 'dark']),
  startAtLogin: z.boolean(),
  startClusterOnLaunch: z.boolean(),
  onQuit: z.enum(['ask', 'stop', 'leave']),
  setupCompleted: z.boolean(),
  /** Diagnostics check ids the user muted. */
  mutedChecks: z.array(z.string()),
});

export const apiSettingsSchema = z.object({
  version: z.literal(1),
  engine: engineSettings,
  cluster: z.object({
    name: z.string(),
    redis: redisSettings,
    workers: workerSettings,
    pools: z.record(z.string(), poolSettings),
    supervisor: supervisorSettings,
    queues: z.record(z.string(), queueLimitSettings),
    alerts: alertsSettings,
  }),
  app: appSettings,
});

/** A partial update: objects merge, arrays and `env` replace; unknown keys are refused. */
export const settingsPatchSchema = z
  .strictObject({
    engine: engineSettings.strict().partial(),
    cluster: z
      .strictObject({
        name: z.string(),
        redis: redisSettings.strict().partial(),
        workers: workerSettings.strict().partial(),
        /** Pools replace as a whole (a pool left out is removed). */
        pools: z.record(z.string(), poolSettings.partial()),
        supervisor: supervisorSettings.strict().partial(),
        /** Each queue named replaces its limits; queues left out keep theirs. */
        queues: z.record(z.string(), queueLimitSettings),
        /** Alerts replace as a whole. */
        alerts: alertsSettings,
      })
      .partial(),
    app: appSettings.strict().partial(),
  })
  .partial();

const imageOverrideSchema = z
  .object({
    /** The environment variable in force, e.g. GUILDHALL_REDIS_IMAGE. */
    variable: z.string(),
    /** The image it sets: the one that runs, whatever the settings say. */
    image: z.string(),
  })
  .nullable();

export const settingsReadSchema = z.object({
  settings: apiSettingsSchema,
  /** The user's home folder: the console asks before mounting a processors folder outside it. */
  homeFolder: z.string(),
  /** User-facing notes, e.g. that a corrupt settings file was backed up. */
  warnings: z.array(z.string()),
  /** Image settings overridden by the environment the core runs in. */
  imageOverrides: z.object({ redis: imageOverrideSchema, workerBase: imageOverrideSchema }),
});

/**
 * Whether `folder` lies outside `home` (both absolute; `/` or `\` separators, Windows paths
 * compared without case). Browser-safe, for the console's confirmation before saving.
 */
export function isOutsideHome(folder: string, home: string): boolean {
  const windows = /^[A-Za-z]:[\\/]/.test(home);
  const norm = (p: string) => {
    const slashed = p.replace(/\\/g, '/').replace(/\/+$/, '');
    return windows ? slashed.toLowerCase() : slashed;
  };
  const h = norm(home);
  const f = norm(folder);
  return !(f === h || f.startsWith(`${h}/`));
}
