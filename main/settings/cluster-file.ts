/**
 * The cluster file: the whole cluster in one YAML (or JSON) file a user keeps in version control,
 * read by `guildhall apply FILE` and written by `guildhall spec`. Its `pools.worker` is the
 * spec's `workers` section (the built-in default pool; it also holds what every built-in pool
 * shares: baseImage, processorsDir), its other pools are `spec.pools`.
 *
 * Reading refuses, before anything is saved: YAML syntax errors (by line and column), duplicate
 * keys (a pool named twice), unknown fields (by name), and every rule of the settings schema,
 * each named by its path as written in the file (`pools.tools.packages[0]`). Relative paths
 * (dockerfile, build.context, mounts[].source, processorsDir) are resolved against the file's
 * folder and `~` against the home folder. Fields the file leaves out take their defaults, except
 * `name` and `redis.port`, which keep the current cluster's; a file without `pools.worker` runs
 * no built-in default workers. `supervisor` tunes healing and autoscale's headroom; `queues`
 * sets queues' global limits (concurrency, rateLimit).
 */
import os from 'node:os';
import path from 'node:path';
import yaml from 'js-yaml';
import type { z } from 'zod';
import { GuildhallError } from '../util/errors';
import {
  queueLimitsSpecSchema,
  redisSpecSchema,
  supervisorSpecSchema,
  workerSpecSchema,
  type ClusterSpec,
} from './cluster-spec';
import { alertRulesSchema, alertsSpecSchema } from './alerts-spec';
import { DEFAULT_POOL, poolSpecSchema } from './pool-spec';
import { settingsSchema, type Settings } from './settings-schema';

type Plain = Record<string, unknown>;
type FilePath = (string | number)[];

const TOP_FIELDS = ['name', 'redis', 'pools', 'supervisor', 'queues', 'alerts'];
const ALERTS_FIELDS = Object.keys(alertsSpecSchema.shape);
const ALERT_RULE_FIELDS = Object.keys(alertRulesSchema.shape);
const REDIS_FIELDS = Object.keys(redisSpecSchema.shape);
const SUPERVISOR_FIELDS = Object.keys(supervisorSpecSchema.shape);
const WORKER_FIELDS = Object.keys(workerSpecSchema.shape);
const POOL_FIELDS = Object.keys(poolSpecSchema.shape);

function isPlain(value: unknown): value is Plain {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `pools.tools.packages[0]`: a path as the user reads it in the file. */
export function formatFilePath(at: FilePath): string {
  let out = '';
  for (const part of at) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out ? `.${part}` : part;
  }
  return out || '(the file)';
}

export interface FileIssue {
  path: string;
  message: string;
}

function invalidFile(file: string, issues: FileIssue[], hint: string): GuildhallError {
  const shown = issues.slice(0, 5).map((i) => `${i.path}: ${i.message}`);
  const more = issues.length > 5 ? ` (and ${issues.length - 5} more)` : '';
  return new GuildhallError(
    'invalid-input',
    `${file} is not a valid cluster file: ${shown.join('; ')}${more}. Nothing was saved.`,
    hint,
    { issues },
  );
}

/** Reads YAML (JSON is YAML too); a syntax error or a key given twice names its line and column. */
export function readClusterFileText(text: string, file: string): unknown {
  try {
    return yaml.load(text, { filename: file, schema: yaml.CORE_SCHEMA });
  } catch (err) {
    if (err instanceof yaml.YAMLException) {
      const line = err.mark?.line ?? 0;
      const column = err.mark?.column ?? 0;
      throw new GuildhallError(
        'invalid-input',
        `${file}:${line + 1}:${column + 1}: ${err.reason} (line ${line + 1}, column ${column + 1}). Nothing was saved.`,
        err.reason.includes('duplicated mapping key')
          ? 'Each key, and each pool name, may appear only once: remove or rename the second one.'
          : `Correct the YAML at line ${line + 1}, column ${column + 1}, and apply again.`,
      );
    }
    throw err;
  }
}

function unknownFields(raw: Plain): FileIssue[] {
  const issues: FileIssue[] = [];
  const check = (value: unknown, at: FilePath, allowed: string[], what: string) => {
    if (!isPlain(value)) return;
    for (const key of Object.keys(value)) {
      if (!allowed.includes(key))
        issues.push({
          path: formatFilePath([...at, key]),
          message: `unknown field "${key}" (${what} takes: ${allowed.join(', ')})`,
        });
    }
  };
  check(raw, [], TOP_FIELDS, 'a cluster file');
  check(raw.redis, ['redis'], REDIS_FIELDS, 'redis');
  check(raw.supervisor, ['supervisor'], SUPERVISOR_FIELDS, 'supervisor');
  check(raw.alerts, ['alerts'], ALERTS_FIELDS, 'alerts');
  if (isPlain(raw.alerts)) check(raw.alerts.rules, ['alerts', 'rules'], ALERT_RULE_FIELDS, 'rules');
  if (isPlain(raw.pools)) {
    for (const [name, pool] of Object.entries(raw.pools)) {
      if (name === DEFAULT_POOL)
        check(pool, ['pools', name], WORKER_FIELDS, 'the built-in pool "worker"');
      else check(pool, ['pools', name], POOL_FIELDS, 'a pool');
    }
  }
  return issues;
}

/** An absolute host path for a path written in the file: `~` is home, relative is to the file. */
export function resolveFilePath(value: string, baseDir: string, home: string): string {
  if (value === '~' || value.startsWith('~/')) return path.join(home, value.slice(1));
  return path.resolve(baseDir, value);
}

function resolvePoolPaths(pool: Plain, baseDir: string, home: string): Plain {
  const out = { ...pool };
  const resolve = (value: unknown) =>
    typeof value === 'string' && value.length > 0 ? resolveFilePath(value, baseDir, home) : value;
  for (const key of ['dockerfile', 'processorsDir']) if (key in out) out[key] = resolve(out[key]);
  if (isPlain(out.build)) out.build = { ...out.build, context: resolve(out.build.context) };
  if (Array.isArray(out.mounts))
    out.mounts = out.mounts.map((m: unknown) =>
      isPlain(m) ? { ...m, source: resolve(m.source) } : m,
    );
  return out;
}

/** The settings' cluster section as the file says it, before validation. */
function fileToRawSpec(raw: Plain, current: ClusterSpec, baseDir: string, home: string): Plain {
  const pools = isPlain(raw.pools) ? raw.pools : {};
  const resolved = (pool: unknown) =>
    isPlain(pool) ? resolvePoolPaths(pool, baseDir, home) : pool;
  const others: Plain = {};
  for (const [name, pool] of Object.entries(pools))
    if (name !== DEFAULT_POOL) others[name] = resolved(pool);
  const worker = pools[DEFAULT_POOL];
  const redis = isPlain(raw.redis) ? raw.redis : raw.redis === undefined ? {} : raw.redis;
  const external = isPlain(redis) && isPlain(redis.external) ? redis.external : null;
  const caFile = external?.caFile;
  return {
    name: raw.name ?? current.name,
    redis: isPlain(redis)
      ? {
          port: current.redis.port,
          ...redis,
          ...(typeof caFile === 'string' && caFile.length > 0
            ? { external: { ...external, caFile: resolveFilePath(caFile, baseDir, home) } }
            : {}),
        }
      : redis,
    workers: worker === undefined ? { replicas: 0 } : resolved(worker),
    pools: raw.pools === undefined || isPlain(raw.pools) ? others : raw.pools,
    supervisor: raw.supervisor ?? {},
    queues: raw.queues ?? {},
    // Left out: every rule at its default, no webhook.
    alerts: raw.alerts ?? {},
  };
}

/** A settings path (cluster.workers.x) as the file writes it (pools.worker.x). */
function toFilePath(at: PropertyKey[]): FilePath {
  const parts = at.map((p) => (typeof p === 'number' ? p : String(p)));
  if (parts[0] !== 'cluster') return parts;
  const rest = parts.slice(1);
  if (rest[0] === 'workers') return ['pools', DEFAULT_POOL, ...rest.slice(1)];
  return rest;
}

function valueAt(raw: unknown, at: FilePath): unknown {
  let value: unknown = raw;
  for (const part of at) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<string | number, unknown>)[part];
  }
  return value;
}

function describeIssue(issue: z.core.$ZodIssue, raw: Plain): FileIssue {
  const at = toFilePath(issue.path);
  if (issue.code === 'unrecognized_keys') {
    return {
      path: formatFilePath(at),
      message: `unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `"${k}"`).join(', ')}`,
    };
  }
  // The value helps find a typo; env values and Redis URLs may hold secrets: never repeated.
  const value = at.includes('env') || at.includes('external') ? undefined : valueAt(raw, at);
  const shown =
    typeof value === 'string' || typeof value === 'number' ? ` (${JSON.stringify(value)})` : '';
  return { path: formatFilePath(at), message: `${issue.message}${shown}` };
}

/** How to fix a field, by its name in the file: the hint a user reads under the error. */
const FIXES: Record<string, string> = {
  packages:
    'Use Debian package names as apt knows them: lowercase letters, digits, "+", "-" and "." (e.g. python3, git).',
  image: 'Give an image reference such as my-celery:latest or ghcr.io/acme/celery:1.2.',
  source: 'Mount a folder that holds only what the jobs need, e.g. ~/projects.',
  target: 'Mount on a folder of its own in the container, e.g. /workspace.',
  pools: 'Lower replicas so that all pools together run at most 64 containers.',
  autoscale:
    'Give autoscale min ≤ max (0–64), e.g. autoscale: { min: 1, max: 6, backlogPerWorker: 100, cooldownSeconds: 60 }.',
  env: 'Rename the variable; GUILDHALL_*, PATH, NODE_* and LD_* are reserved.',
  queues: 'Name a queue with letters, digits, ".", "_" or "-", or { name, processor }.',
  concurrency: 'Give the most jobs of the queue active at once (1 or more), or null for no limit.',
  rateLimit: 'Give { max: JOBS, durationMs: MS }, e.g. { max: 10, durationMs: 1000 }, or null.',
  network:
    "Give network: default (the ordinary network) or internal (Redis only: no internet, no host); internal needs the cluster's own Redis.",
  allowPrivateNetworks:
    'Give allowPrivateNetworks: true or false, on a built-in pool (a custom image reaches what its network allows).',
};

function fixFor(issue: FileIssue): string | null {
  const names = issue.path.split(/[.[\]]/).filter((part) => part && !/^\d+$/.test(part));
  for (const name of [...names].reverse()) if (FIXES[name]) return FIXES[name];
  return null;
}

export interface ParsedClusterFile {
  /** The settings with the file's cluster in them, valid by every rule; ready to save. */
  settings: Settings;
  spec: ClusterSpec;
}

/**
 * Parses a cluster file's text into the settings to save (the current settings with the file's
 * cluster); throws invalid-input naming every problem by its path in the file.
 */
export function parseClusterFile(
  text: string,
  file: string,
  current: Settings,
  home: string = os.homedir(),
): ParsedClusterFile {
  const raw = readClusterFileText(text, file);
  if (!isPlain(raw)) {
    throw new GuildhallError(
      'invalid-input',
      `${file} is not a cluster file: it must be a mapping with name, redis and pools. Nothing was saved.`,
      'See `guildhall spec` for the current cluster written as a file.',
    );
  }
  const unknown = unknownFields(raw);
  if (unknown.length > 0) {
    throw invalidFile(file, unknown, 'Remove each unknown field, or correct its name.');
  }
  const baseDir = path.dirname(path.resolve(file));
  const cluster = fileToRawSpec(raw, current.cluster, baseDir, home);
  const parsed = settingsSchema.safeParse({ ...current, cluster });
  if (!parsed.success) {
    const issues = parsed.error.issues.map((issue) => describeIssue(issue, raw));
    const fixes = [...new Set(issues.map(fixFor).filter((fix) => fix !== null))];
    throw invalidFile(
      file,
      issues,
      [...fixes, 'Correct each field named and apply the file again.'].join(' '),
    );
  }
  return { settings: parsed.data, spec: parsed.data.cluster };
}

/** Keys of `value` whose value differs from `defaults` (JSON-equal), in the schema's order. */
function withoutDefaults(value: Plain, defaults: Plain, keep: string[]): Plain {
  const out: Plain = {};
  for (const [key, v] of Object.entries(value)) {
    if (keep.includes(key) || JSON.stringify(v) !== JSON.stringify(defaults[key])) out[key] = v;
  }
  return out;
}

/** The spec as a cluster file's object: defaults left out, replicas always written. */
export function specToFile(spec: ClusterSpec): Plain {
  const pools: Plain = {
    [DEFAULT_POOL]: withoutDefaults(spec.workers, workerSpecSchema.parse({}), ['replicas']),
  };
  const poolDefaults = poolSpecSchema.parse({});
  for (const name of Object.keys(spec.pools).sort())
    pools[name] = withoutDefaults(spec.pools[name]!, poolDefaults, ['replicas']);
  const supervisor = withoutDefaults(spec.supervisor, supervisorSpecSchema.parse({}), []);
  const limitDefaults = queueLimitsSpecSchema.parse({});
  const queues: Plain = {};
  for (const name of Object.keys(spec.queues).sort())
    queues[name] = withoutDefaults(spec.queues[name]!, limitDefaults, []);
  const alerts = withoutDefaults(spec.alerts, alertsSpecSchema.parse({}), []);
  return {
    name: spec.name,
    redis: withoutDefaults(spec.redis, redisSpecSchema.parse({}), ['port']),
    pools,
    ...(Object.keys(supervisor).length > 0 ? { supervisor } : {}),
    ...(Object.keys(queues).length > 0 ? { queues } : {}),
    ...(Object.keys(alerts).length > 0 ? { alerts } : {}),
  };
}

/** The spec as the YAML `guildhall spec` prints (and `guildhall apply` reads back unchanged). */
export function specToYaml(spec: ClusterSpec): string {
  return yaml.dump(specToFile(spec), { lineWidth: 100, noRefs: true, sortKeys: false });
}
