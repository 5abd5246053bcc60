/**
 * What Redis's and each pool's containers are, engine-neutral, for the exports (compose, Swarm,
 * Kubernetes): read back from the very create options the cluster makes its containers with
 * (container-configs.ts, custom-pool-config.ts via pool-configs.ts), so an exported cluster and
 * the local one cannot drift. Only what is local to this engine is mapped to portable terms:
 *   - the run volume (Redis's config, password, URL and CA files, its socket) becomes files the
 *     export provides as secrets at the same paths, and pools reach Redis over TCP by its alias
 *     (or the external Redis by the URL and CA files, as the local pools do);
 *   - a pool's secrets volume becomes one secret file per name under SECRETS_DIR;
 *   - an env var holding the Redis URL with its password (a pool's `redisUrlEnv`) is kept apart
 *     in `secretEnv`, so no export writes it into a manifest;
 *   - names, hostnames, labels and the per-container worker name are left to the target engine.
 */
import type Dockerode from 'dockerode';
import { parseExternalRedisUrl } from './redis-connection';
import {
  REDIS_CA_FILE,
  REDIS_CONTAINER_PORT,
  REDIS_PASSWORD_FILE,
  REDIS_URL_FILE,
  SECRETS_DIR,
  WORKER_ENV,
} from '@shared/worker-contract';
import { clusterPools, type ClusterPool, type ClusterSpec } from '../settings/cluster-spec';
import {
  MIB,
  SECOND_NS,
  redisConfig,
  redisCreateOptions,
  type ContainerInputs,
} from './container-configs';
import { volumeName } from './naming';
import { poolCreateOptions } from './pool-configs';

/** A file a container reads a secret from: Redis's password, its URL, its CA, or a user secret. */
export interface SecretFileModel {
  /** A RUN_SECRET, or the user secret's name (names never hold a "-"). */
  secret: string;
  /** Absolute path in the container. */
  target: string;
}

export interface HealthcheckModel {
  /** As in compose: ["CMD", …] or ["CMD-SHELL", "…"]. */
  test: string[];
  intervalSeconds: number;
  timeoutSeconds: number;
  retries: number;
  startPeriodSeconds: number;
}

export interface ContainerModel {
  /** `redis`, or the pool's name. */
  service: string;
  image: string;
  /** null: the image's own command. */
  command: string[] | null;
  /** null: the image's own user. */
  user: string | null;
  /** Env without secrets, sorted by name. */
  env: Record<string, string>;
  /** Env that holds a secret (a pool's `redisUrlEnv`): never written into a manifest. */
  secretEnv: Record<string, string>;
  secretFiles: SecretFileModel[];
  /** Host folders bound in. */
  binds: { source: string; target: string; readOnly: boolean }[];
  /** Named volumes (Redis's data). */
  volumes: { name: string; target: string }[];
  tmpfs: { target: string; sizeBytes: number | null; mode: string | null }[];
  healthcheck: HealthcheckModel | null;
  stopGraceSeconds: number;
  /** Per container; 0 = no limit. */
  cpus: number;
  memoryMb: number;
  capDrop: string[];
  capAdd: string[];
  noNewPrivileges: boolean;
  readOnlyRoot: boolean;
  pidsLimit: number | null;
  replicas: number;
}

/** Redis as the exports run it: its config without password or socket, and the port it is on. */
export interface RedisModel extends ContainerModel {
  /** redis.conf without `requirepass` (read from REDIS_PASSWORD_FILE) and the unix socket. */
  config: string;
  passwordFile: string;
  containerPort: number;
  /** Published on 127.0.0.1 only. */
  hostPort: number;
}

export interface ClusterModel {
  cluster: string;
  /** null when the cluster uses an external Redis (spec.redis.external). */
  redis: RedisModel | null;
  pools: (ContainerModel & { pool: ClusterPool })[];
  /** Where pools reach Redis: the `redis` service, or the external Redis's host and port. */
  redisEndpoint: { host: string; port: number; tls: boolean; user: string | null };
}

/**
 * The run volume's files as exported secrets, named as the files themselves: Redis's password,
 * the full Redis URL (password and ACL user in it), an external Redis's CA.
 */
export const RUN_SECRET = {
  password: 'redis-password',
  url: 'redis-url',
  ca: 'redis-ca.pem',
} as const;

/**
 * What a pool reads from the run volume, as the local cluster gives it: with an external Redis,
 * every pool the URL and (for `rediss://`) the CA; otherwise a built-in pool the password, a
 * custom pool the URL.
 */
export function runFilesOf(pool: ClusterPool, inputs: ModelInputs): SecretFileModel[] {
  const external = inputs.externalRedis;
  if (external) {
    return [
      { secret: RUN_SECRET.url, target: REDIS_URL_FILE },
      ...(external.ca !== null ? [{ secret: RUN_SECRET.ca, target: REDIS_CA_FILE }] : []),
    ];
  }
  return pool.kind === 'builtin'
    ? [{ secret: RUN_SECRET.password, target: REDIS_PASSWORD_FILE }]
    : [{ secret: RUN_SECRET.url, target: REDIS_URL_FILE }];
}

/** Inputs of the model: the cluster's, minus what only this engine needs. */
export type ModelInputs = Omit<ContainerInputs, 'workerRedis' | 'hostGateway'>;

const SECONDS = (ns: number | undefined) => Math.round((ns ?? 0) / SECOND_NS);

/** `size=256m,mode=1777,…` → bytes and mode. */
function tmpfsOf(target: string, options: string) {
  const parts = Object.fromEntries(options.split(',').map((p) => p.split('=') as [string, string]));
  const size = parts.size?.match(/^(\d+)([kmg]?)$/i);
  const unit = { '': 1, k: 1024, m: MIB, g: 1024 * MIB }[(size?.[2] ?? '').toLowerCase()] ?? 1;
  return {
    target,
    sizeBytes: size ? Number(size[1]) * unit : null,
    mode: parts.mode ?? null,
  };
}

function healthcheckOf(
  h: Dockerode.ContainerCreateOptions['Healthcheck'],
): HealthcheckModel | null {
  if (!h?.Test) return null;
  return {
    test: h.Test,
    intervalSeconds: SECONDS(h.Interval),
    timeoutSeconds: SECONDS(h.Timeout),
    retries: h.Retries ?? 3,
    startPeriodSeconds: SECONDS(h.StartPeriod),
  };
}

/** The model of one container from its create options; `runFiles`: what the run volume gives. */
function modelOf(
  service: string,
  options: Dockerode.ContainerCreateOptions,
  ctx: {
    spec: ClusterSpec;
    runFiles: SecretFileModel[];
    secretNames: string[];
    secretEnvName: string | null;
    replicas: number;
  },
): ContainerModel {
  const env: Record<string, string> = {};
  const secretEnv: Record<string, string> = {};
  for (const entry of options.Env ?? []) {
    const at = entry.indexOf('=');
    const [key, value] = [entry.slice(0, at), entry.slice(at + 1)];
    if (key === WORKER_ENV.workerName) continue; // per container: the engine's hostname serves
    if (key === ctx.secretEnvName) secretEnv[key] = value;
    else env[key] = value;
  }
  const host = options.HostConfig ?? {};
  const secretFiles: SecretFileModel[] = [];
  const binds: ContainerModel['binds'] = [];
  const volumes: ContainerModel['volumes'] = [];
  for (const mount of host.Mounts ?? []) {
    if (mount.Source === volumeName(ctx.spec.name, 'redis-run')) {
      secretFiles.push(...ctx.runFiles);
    } else if (mount.Type === 'volume' && mount.Target === SECRETS_DIR) {
      for (const name of ctx.secretNames)
        secretFiles.push({ secret: name, target: `${SECRETS_DIR}/${name}` });
    } else if (mount.Type === 'bind') {
      binds.push({ source: mount.Source, target: mount.Target, readOnly: mount.ReadOnly ?? false });
    } else if (mount.Type === 'volume') {
      volumes.push({ name: mount.Source.slice(ctx.spec.name.length + 1), target: mount.Target });
    }
  }
  return {
    service,
    image: options.Image ?? '',
    command: options.Cmd ? [...(options.Cmd as string[])] : null,
    user: options.User ?? null,
    env,
    secretEnv,
    secretFiles,
    binds,
    volumes,
    tmpfs: Object.entries(host.Tmpfs ?? {}).map(([target, opts]) => tmpfsOf(target, opts)),
    healthcheck: healthcheckOf(options.Healthcheck),
    stopGraceSeconds: options.StopTimeout ?? 10,
    cpus: (host.NanoCpus ?? 0) / SECOND_NS,
    memoryMb: Math.round((host.Memory ?? 0) / MIB),
    capDrop: host.CapDrop ?? [],
    capAdd: host.CapAdd ?? [],
    noNewPrivileges: (host.SecurityOpt ?? []).includes('no-new-privileges'),
    readOnlyRoot: host.ReadonlyRootfs ?? false,
    pidsLimit: host.PidsLimit ?? null,
    replicas: ctx.replicas,
  };
}

/** Where pools reach Redis: the cluster's own by its alias, or the external one's host. */
function endpointOf(spec: ClusterSpec): ClusterModel['redisEndpoint'] {
  const external = spec.redis.external;
  if (!external) return { host: 'redis', port: REDIS_CONTAINER_PORT, tls: false, user: null };
  const address = parseExternalRedisUrl(external.url);
  return {
    host: address.host,
    port: address.port,
    tls: address.tls,
    user: address.username ?? null,
  };
}

/**
 * The whole cluster as containers to export. `inputs.poolHosts` names each pool's secrets and
 * mounts (values are not needed here and are not read); with spec.redis.external,
 * `inputs.externalRedis` is required: every pool connects the way the local ones do
 * (redis-connection.ts), from the URL and CA files.
 */
export function clusterModel(inputs: ModelInputs): ClusterModel {
  const { spec } = inputs;
  if (spec.redis.external && !inputs.externalRedis) {
    throw new Error('clusterModel: spec.redis.external needs inputs.externalRedis');
  }
  const local: ContainerInputs = { ...inputs, workerRedis: 'tcp', hostGateway: false };
  const pools = clusterPools(spec).map((pool) => {
    const { options } = poolCreateOptions(local, pool, 1);
    const model = modelOf(pool.name, options, {
      spec,
      runFiles: runFilesOf(pool, inputs),
      secretNames: [...(inputs.poolHosts?.get(pool.name)?.secrets.keys() ?? [])],
      secretEnvName: pool.spec.redisUrlEnv,
      replicas: pool.spec.replicas,
    });
    return { ...model, pool };
  });
  return {
    cluster: spec.name,
    redis: spec.redis.external ? null : redisModel(inputs),
    pools,
    redisEndpoint: endpointOf(spec),
  };
}

function redisModel(inputs: ModelInputs): RedisModel {
  const { spec } = inputs;
  const { options } = redisCreateOptions({ ...inputs, workerRedis: 'tcp', hostGateway: false });
  const model = modelOf('redis', options, {
    spec,
    runFiles: [{ secret: RUN_SECRET.password, target: REDIS_PASSWORD_FILE }],
    secretNames: [],
    secretEnvName: null,
    replicas: 1,
  });
  const config = redisConfig(spec, '')
    .split('\n')
    .filter((line) => !/^(requirepass|unixsocket)/.test(line))
    .join('\n');
  return {
    ...model,
    command: null,
    config,
    passwordFile: REDIS_PASSWORD_FILE,
    containerPort: REDIS_CONTAINER_PORT,
    hostPort: spec.redis.port,
  };
}
