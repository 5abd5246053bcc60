/**
 * One pool in the pools editor: its fields as the inputs hold them (lists as text, numbers as
 * text, env and mounts as rows), checked as the user types with the core's rules
 * (main/shared/spec-limits.ts: names, package names, image references, ranges, the 64-container
 * total; env and mounts: pool-runtime-form.ts), turned into the pool the
 * settings API takes, and the server's invalid-input paths (`cluster.pools.<name>.<field>…`)
 * mapped back onto the fields. Pure, for testing.
 */
import {
  FOLDER_PATTERN,
  IMAGE_REFERENCE_PATTERN,
  MAX_WORKERS,
  PACKAGE_NAME_PATTERN,
  POOL_NAME_PATTERN,
  QUEUE_NAME_PATTERN,
  SECRET_NAME_PATTERN,
  SPEC_LIMITS,
} from '@shared/spec-limits';
import type { ApiSettings } from '../api/client';
import type { FieldError } from '../settings/settings-form';
import {
  autoscaleFromForm,
  formFromAutoscale,
  validateAutoscale,
  type AutoscaleForm,
} from './autoscale-form';
import {
  envOf,
  envRowsOf,
  mountRowsOf,
  mountsOf,
  validateEnvRows,
  validateMountRows,
  validateRedisUrlEnv,
  validateStopTimeout,
  type EnvRow,
  type EnvRowErrors,
  type MountRow,
  type MountRowErrors,
} from './pool-runtime-form';

export type PoolSettings = ApiSettings['cluster']['pools'][string];

export interface PoolForm {
  name: string;
  kind: 'builtin' | 'custom';
  replicas: string;
  cpus: string;
  memoryMb: string;
  secrets: string;
  env: EnvRow[];
  mounts: MountRow[];
  stopTimeoutSeconds: string;
  /** Built-in pools. */
  concurrency: string;
  packages: string;
  dockerfile: string;
  /** `shell`, or `agent-tasks:shell` (a queue name served by a processor), comma-separated. */
  queues: string;
  /** Whether the pool runs shell jobs (off unless asked; pool-spec.ts `shell`). */
  shell: boolean;
  /** `network: internal` (pool-spec.ts): Redis and nothing else. */
  internalNetwork: boolean;
  /** Built-in pools: http jobs may reach private addresses (pool-spec.ts). */
  allowPrivateNetworks: boolean;
  /** Custom pools: a ready image, or one built from a folder. */
  source: 'image' | 'build';
  image: string;
  buildContext: string;
  buildDockerfile: string;
  command: string;
  healthcheck: string;
  watchCelery: string;
  /** Custom pools: an env var that also gets the Redis URL (visible in `docker inspect`). */
  redisUrlEnv: string;
  autoscale: AutoscaleForm;
}

export type PoolField = Exclude<
  keyof PoolForm,
  | 'kind'
  | 'source'
  | 'autoscale'
  | 'shell'
  | 'env'
  | 'mounts'
  | 'internalNetwork'
  | 'allowPrivateNetworks'
>;
export type PoolErrors = Partial<Record<PoolField | 'autoscale' | 'env' | 'mounts', FieldError>> & {
  autoscaleFields?: ReturnType<typeof validateAutoscale>;
  /** Env rows' problems by row index; the server's by variable name. */
  envRows?: EnvRowErrors;
  envNames?: Record<string, FieldError>;
  mountRows?: MountRowErrors;
};

/** Names a pool may not take: the broker's service and the default pool. */
export const RESERVED_NAMES: readonly string[] = ['redis', 'worker'];

/** Lists typed as text: split on commas and white space. */
export function splitList(text: string): string[] {
  return text
    .split(/[\s,]+/)
    .map((s) => s.trim())
    .filter(Boolean);
}

/** Commands typed as text: split on white space (a pool's command has no shell). */
function splitWords(text: string): string[] {
  return text.trim().split(/\s+/).filter(Boolean);
}

export function emptyPoolForm(): PoolForm {
  return formFromPool('', DEFAULT_POOL);
}

/** A new pool's values: the core's defaults (pool-spec.ts). */
export const DEFAULT_POOL: PoolSettings = {
  replicas: 1,
  cpus: 1,
  memoryMb: 1024,
  env: {},
  secrets: [],
  mounts: [],
  stopTimeoutSeconds: 30,
  concurrency: 10,
  shell: false,
  packages: [],
  dockerfile: null,
  queues: [],
  image: null,
  build: null,
  command: null,
  healthcheck: null,
  watch: { celery: [] },
  redisUrlEnv: null,
  autoscale: null,
  allowPrivateNetworks: false,
  network: 'default',
};

export function formFromPool(name: string, pool: PoolSettings): PoolForm {
  return {
    name,
    kind: pool.image !== null || pool.build !== null ? 'custom' : 'builtin',
    replicas: String(pool.replicas),
    cpus: String(pool.cpus),
    memoryMb: String(pool.memoryMb),
    secrets: pool.secrets.join(', '),
    env: envRowsOf(pool.env),
    mounts: mountRowsOf(pool.mounts),
    stopTimeoutSeconds: String(pool.stopTimeoutSeconds),
    concurrency: String(pool.concurrency),
    packages: pool.packages.join(' '),
    dockerfile: pool.dockerfile ?? '',
    queues: pool.queues
      .map((q) => (typeof q === 'string' ? q : `${q.name}:${q.processor}`))
      .join(', '),
    shell: pool.shell,
    internalNetwork: pool.network === 'internal',
    allowPrivateNetworks: pool.allowPrivateNetworks,
    source: pool.build ? 'build' : 'image',
    image: pool.image ?? '',
    buildContext: pool.build?.context ?? '',
    buildDockerfile: pool.build?.dockerfile ?? 'Dockerfile',
    command: (pool.command ?? []).join(' '),
    healthcheck: (pool.healthcheck ?? []).join(' '),
    watchCelery: pool.watch.celery.join(', '),
    redisUrlEnv: pool.redisUrlEnv ?? '',
    autoscale: formFromAutoscale(pool.autoscale, pool.replicas),
  };
}

function whole(text: string, range: { min: number; max: number }): FieldError | null {
  const ok = /^\s*\d+\s*$/.test(text) && Number(text) >= range.min && Number(text) <= range.max;
  return ok ? null : { key: 'settings.validation.integer', params: range };
}

function decimal(text: string, range: { min: number; max: number }): FieldError | null {
  const ok =
    /^\s*\d+(\.\d+)?\s*$/.test(text) && Number(text) >= range.min && Number(text) <= range.max;
  return ok ? null : { key: 'settings.validation.number', params: range };
}

/** The first item of a list that breaks `pattern`, as an error naming it. */
function listProblem(text: string, pattern: RegExp, key: FieldError['key']): FieldError | null {
  const bad = splitList(text).find((item) => !pattern.test(item));
  return bad === undefined ? null : { key, params: { value: bad } };
}

function queueProblem(text: string): FieldError | null {
  const bad = splitList(text).find((item) => {
    const [name, processor, extra] = item.split(':');
    if (extra !== undefined) return true;
    return (
      !QUEUE_NAME_PATTERN.test(name ?? '') ||
      (processor !== undefined && !QUEUE_NAME_PATTERN.test(processor))
    );
  });
  return bad === undefined ? null : { key: 'pools.validation.queue', params: { value: bad } };
}

export interface PoolContext {
  /** The other pools' names (a name is taken once). */
  otherNames: readonly string[];
  /** Containers the other pools (the default one included) want. */
  otherReplicas: number;
}

/** The pool's problems by field (none: an empty object). */
export function validatePool(form: PoolForm, context: PoolContext): PoolErrors {
  const errors: PoolErrors = {};
  const set = (field: PoolField, error: FieldError | null) => {
    if (error) errors[field] = error;
  };
  if (!POOL_NAME_PATTERN.test(form.name)) set('name', { key: 'pools.validation.name' });
  else if (RESERVED_NAMES.includes(form.name))
    set('name', { key: 'pools.validation.reserved', params: { name: form.name } });
  else if (context.otherNames.includes(form.name))
    set('name', { key: 'pools.validation.duplicate', params: { name: form.name } });

  set('replicas', whole(form.replicas, SPEC_LIMITS.replicas));
  if (!errors.replicas && context.otherReplicas + Number(form.replicas) > MAX_WORKERS) {
    set('replicas', {
      key: 'pools.validation.total',
      params: { max: MAX_WORKERS, free: Math.max(0, MAX_WORKERS - context.otherReplicas) },
    });
  }
  set('cpus', decimal(form.cpus, SPEC_LIMITS.cpus));
  set('memoryMb', whole(form.memoryMb, SPEC_LIMITS.memoryMb));
  set('secrets', listProblem(form.secrets, SECRET_NAME_PATTERN, 'pools.validation.secret'));
  set('stopTimeoutSeconds', validateStopTimeout(form.stopTimeoutSeconds));
  const envRows = validateEnvRows(form.env, form.kind);
  if (Object.keys(envRows).length > 0) errors.envRows = envRows;
  const mountRows = validateMountRows(form.mounts);
  if (Object.keys(mountRows).length > 0) errors.mountRows = mountRows;

  if (form.kind === 'builtin') {
    set('concurrency', whole(form.concurrency, SPEC_LIMITS.concurrency));
    set('packages', listProblem(form.packages, PACKAGE_NAME_PATTERN, 'pools.validation.package'));
    if (form.dockerfile.trim() !== '' && !FOLDER_PATTERN.test(form.dockerfile.trim()))
      set('dockerfile', { key: 'pools.validation.path' });
    set('queues', queueProblem(form.queues));
    if (!errors.queues && !form.shell) {
      const shellQueue = splitList(form.queues).find(
        (item) => (item.split(':')[1] ?? item) === 'shell',
      );
      if (shellQueue !== undefined)
        set('queues', { key: 'pools.validation.shellOff', params: { value: shellQueue } });
    }
  } else {
    if (form.source === 'image') {
      if (!IMAGE_REFERENCE_PATTERN.test(form.image.trim()) || form.image.trim().length > 255)
        set('image', { key: 'pools.validation.image' });
    } else {
      if (!FOLDER_PATTERN.test(form.buildContext.trim()))
        set('buildContext', { key: 'pools.validation.path' });
      if (form.buildDockerfile.trim() === '')
        set('buildDockerfile', { key: 'pools.validation.required' });
    }
    if (form.healthcheck.trim() !== '' && splitWords(form.healthcheck).length < 2)
      set('healthcheck', { key: 'pools.validation.healthcheck' });
    set('watchCelery', listProblem(form.watchCelery, QUEUE_NAME_PATTERN, 'pools.validation.queue'));
    set('redisUrlEnv', validateRedisUrlEnv(form.redisUrlEnv));
  }
  const autoscale = validateAutoscale(form.autoscale);
  if (Object.keys(autoscale).length > 0) {
    errors.autoscaleFields = autoscale;
    errors.autoscale = Object.values(autoscale)[0]!;
  }
  return errors;
}

export function hasPoolErrors(errors: PoolErrors): boolean {
  return Object.keys(errors).length > 0;
}

/**
 * The pool the settings API takes, from a valid form. Fields the editor does not show are kept
 * from `previous`.
 */
export function poolFromForm(form: PoolForm, previous: PoolSettings = DEFAULT_POOL): PoolSettings {
  const common = {
    ...previous,
    replicas: Number(form.replicas),
    cpus: Number(form.cpus),
    memoryMb: Number(form.memoryMb),
    secrets: splitList(form.secrets),
    env: envOf(form.env),
    mounts: mountsOf(form.mounts),
    stopTimeoutSeconds: Number(form.stopTimeoutSeconds),
    autoscale: autoscaleFromForm(form.autoscale),
    network: form.internalNetwork ? ('internal' as const) : ('default' as const),
  };
  if (form.kind === 'builtin') {
    return {
      ...common,
      concurrency: Number(form.concurrency),
      shell: form.shell,
      allowPrivateNetworks: form.allowPrivateNetworks,
      packages: splitList(form.packages),
      dockerfile: form.dockerfile.trim() || null,
      queues: splitList(form.queues).map((item) => {
        const [name, processor] = item.split(':');
        return processor ? { name: name!, processor } : name!;
      }),
      image: null,
      build: null,
      command: null,
      healthcheck: null,
      watch: { celery: [] },
      redisUrlEnv: null,
    };
  }
  const command = splitWords(form.command);
  const healthcheck = splitWords(form.healthcheck);
  return {
    ...common,
    shell: false,
    allowPrivateNetworks: false,
    packages: [],
    dockerfile: null,
    queues: [],
    image: form.source === 'image' ? form.image.trim() : null,
    build:
      form.source === 'build'
        ? { context: form.buildContext.trim(), dockerfile: form.buildDockerfile.trim() }
        : null,
    command: command.length > 0 ? command : null,
    healthcheck: healthcheck.length > 0 ? healthcheck : null,
    watch: { celery: splitList(form.watchCelery) },
    redisUrlEnv: form.redisUrlEnv.trim() || null,
  };
}

/** Whether saving this pool means building an image (packages, a Dockerfile, a build context). */
export function needsBuild(pool: PoolSettings): boolean {
  return pool.packages.length > 0 || pool.dockerfile !== null || pool.build !== null;
}

export { serverPoolErrors } from './pool-server-errors';

/** The default pool (the settings' `workers`) in a pool's shape, for the list. */
export function defaultPoolOf(workers: ApiSettings['cluster']['workers']): PoolSettings {
  return {
    ...DEFAULT_POOL,
    replicas: workers.replicas,
    cpus: workers.cpus,
    memoryMb: workers.memoryMb,
    concurrency: workers.concurrency,
    packages: workers.packages,
    dockerfile: workers.dockerfile,
    queues: workers.queues,
    secrets: workers.secrets,
    autoscale: workers.autoscale,
    allowPrivateNetworks: workers.allowPrivateNetworks,
    network: workers.network,
  };
}

/** Containers every pool but `except` wants, the default pool included. */
export function replicasBesides(settings: ApiSettings, except: string | null): number {
  const others = Object.entries(settings.cluster.pools)
    .filter(([name]) => name !== except)
    .reduce((sum, [, pool]) => sum + pool.replicas, 0);
  return settings.cluster.workers.replicas + others;
}
