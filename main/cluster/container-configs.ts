/**
 * The engine's create options for the Redis container and the built-in pools' worker containers,
 * and the spec hash stored in a label so a changed spec (image, limits, env, password…) is
 * detected and the container recreated. The default pool's options are built exactly as before
 * pools existed, so its running containers keep their hash and are adopted as they are.
 * (Custom pools: custom-pool-config.ts; one pool's options by its kind: pool-configs.ts.)
 */
import { createHash } from 'node:crypto';
import type Dockerode from 'dockerode';
import { redisMaxMemoryMb, redisSecurity, workerSecurity } from './container-security';
import { clusterPools, type ClusterPool, type ClusterSpec } from '../settings/cluster-spec';
import { DEFAULT_POOL } from '../settings/pool-spec';
import { poolNetworkName } from './internal-network';
import { containerLabels, containerName, networkName, volumeName } from './naming';
import { poolHostEnv, poolHostMounts, type PoolHost } from './pool-host';
import type { ExternalRedisFiles } from './redis-connection';
import {
  PROCESSORS_MOUNT,
  REDIS_ALIAS,
  REDIS_CA_FILE,
  REDIS_CONFIG_FILE,
  REDIS_CONTAINER_PORT,
  REDIS_PASSWORD_FILE,
  REDIS_SOCKET,
  REDIS_URL_FILE,
  RUN_DIR,
  WORKER_ENV,
  WORKER_USER,
  queueEntry,
} from '@shared/worker-contract';

export const SECOND_NS = 1_000_000_000;
export const MIB = 1024 * 1024;

/*
 * INIT_NOTE: the containers never ask for the engine's init (HostConfig.Init), which needs an
 * init binary on the engine's host: Docker ships docker-init, but Podman looks for catatonit,
 * which Debian's podman does not install (create then fails with "container-init binary not
 * found on the host"). Redis needs none: redis-server handles SIGTERM and reaps the children it
 * forks, as PID 1 in the official image. The worker image brings its own (resources/worker/
 * init.sh): it forwards signals to the worker program and reaps the orphans of shell jobs.
 */

/**
 * Whether workers can connect to Redis's unix socket. With SELinux enforcing, every container
 * gets its own MCS label and SELinux refuses a unix-socket connection between two of them; there
 * the workers use TCP on the cluster network instead (Redis's alias and port), which works
 * everywhere but may stall a worker started alongside Redis for the kernel's first neighbour
 * retry (about a second). `securityOptions` is the engine's /info SecurityOptions.
 */
export function workersCanUseSocket(securityOptions: readonly string[] | undefined): boolean {
  return !(securityOptions ?? []).some((option) => /(^|,)name=selinux(,|$)/.test(option));
}

export interface ContainerInputs {
  spec: ClusterSpec;
  /** Image reference or id the containers run (the worker image is built per spec). */
  redisImage: string;
  /** The default pool's image; also every built-in pool's unless `poolImages` names one. */
  workerImage: string;
  /** Each pool's image by pool name (a custom pool without one runs its `image`). */
  poolImages?: Readonly<Record<string, string>>;
  password: string;
  version: string;
  /** Workers connect to Redis's socket (default) or over TCP (see workersCanUseSocket). */
  workerRedis?: 'socket' | 'tcp';
  /**
   * Map host.docker.internal to the host in workers (see hostGatewayAlias); false on engines
   * that refuse the `host-gateway` value.
   */
  hostGateway?: boolean;
  /** Each pool's secrets and mounts by pool name (pool-host.ts); none when absent. */
  poolHosts?: ReadonlyMap<string, PoolHost>;
  /**
   * The external Redis every pool uses instead of the cluster's own (spec.redis.external): its
   * URL and CA reach the containers as files in the run volume (reconcile-files.ts).
   */
  externalRedis?: ExternalRedisFiles | null;
}

/** What identifies an external Redis's files in a spec hash: a change recreates the pools. */
export function externalRedisDigest(files: ExternalRedisFiles | null | undefined): string | null {
  return files ? passwordDigest(`${files.url}\n${files.ca ?? ''}`) : null;
}

/**
 * `host.docker.internal` resolving to the host in every worker, so http jobs reach services on
 * the host the same way on every OS: Docker Desktop provides the name itself, Docker Engine on
 * Linux only when asked with the special `host-gateway` address (Docker 20.10+). Podman (before
 * 5) refuses that value and provides `host.containers.internal` instead, so it gets none.
 */
export const HOST_GATEWAY_ALIAS = 'host.docker.internal:host-gateway';
export function supportsHostGateway(engineName: string | undefined): boolean {
  return engineName !== 'podman';
}

export function redisConfig(spec: ClusterSpec, password: string): string {
  return [
    'bind 0.0.0.0',
    `port ${REDIS_CONTAINER_PORT}`,
    // The workers' way in: no network hop, and nothing to resolve while Redis's network comes up.
    // Only containers mounting the run volume reach the socket; the password is still required.
    `unixsocket ${REDIS_SOCKET}`,
    'unixsocketperm 666',
    'protected-mode no',
    `requirepass ${password}`,
    'dir /data',
    'appendonly yes',
    `appendfsync ${spec.redis.persistence}`,
    ...(redisMaxMemoryMb(spec.redis.memoryMb) > 0
      ? [`maxmemory ${redisMaxMemoryMb(spec.redis.memoryMb)}mb`]
      : []),
    'maxmemory-policy noeviction',
    '',
  ].join('\n');
}

export function hashOf(value: unknown): string {
  return createHash('sha256').update(JSON.stringify(value)).digest('hex').slice(0, 16);
}

/** Only a digest of the password enters the hash, so a new password recreates Redis. */
export function passwordDigest(password: string): string {
  return createHash('sha256').update(`guildhall:${password}`).digest('hex').slice(0, 12);
}

function baseRedisOptions(inputs: ContainerInputs): Dockerode.ContainerCreateOptions {
  const { spec } = inputs;
  const port = `${REDIS_CONTAINER_PORT}/tcp`;
  return {
    Image: inputs.redisImage,
    Cmd: ['redis-server', REDIS_CONFIG_FILE],
    ExposedPorts: { [port]: {} },
    Healthcheck: {
      // The password is read from the file inside the container, never put in the inspect output.
      Test: [
        'CMD-SHELL',
        `REDISCLI_AUTH="$(cat ${REDIS_PASSWORD_FILE})" redis-cli -p ${REDIS_CONTAINER_PORT} ping | grep -q PONG`,
      ],
      Interval: 1 * SECOND_NS,
      Timeout: 3 * SECOND_NS,
      Retries: 30,
    },
    StopTimeout: 10,
    // No HostConfig.Init (see INIT_NOTE): redis-server is PID 1, as in the official image.
    HostConfig: {
      ...redisSecurity(),
      RestartPolicy: { Name: 'unless-stopped' },
      PortBindings: { [port]: [{ HostIp: '127.0.0.1', HostPort: String(spec.redis.port) }] },
      Mounts: [
        { Type: 'volume', Source: volumeName(spec.name, 'redis-data'), Target: '/data' },
        { Type: 'volume', Source: volumeName(spec.name, 'redis-run'), Target: RUN_DIR },
      ],
      ...(spec.redis.memoryMb > 0 ? { Memory: spec.redis.memoryMb * MIB } : {}),
    },
    NetworkingConfig: {
      EndpointsConfig: { [networkName(spec.name)]: { Aliases: [REDIS_ALIAS] } },
    },
  };
}

export function redisCreateOptions(inputs: ContainerInputs): {
  options: Dockerode.ContainerCreateOptions;
  hash: string;
} {
  const base = baseRedisOptions(inputs);
  const hash = hashOf({
    base,
    persistence: inputs.spec.redis.persistence,
    pw: passwordDigest(inputs.password),
  });
  const name = containerName(inputs.spec.name, 'redis', 1);
  return {
    hash,
    options: {
      ...base,
      name,
      Hostname: name,
      Labels: containerLabels(inputs.spec.name, 'redis', 1, hash, inputs.version),
    },
  };
}

/** The pool of the spec named `name`; throws when the spec has none (a programming error). */
export function poolOf(spec: ClusterSpec, name: string): ClusterPool {
  const pool = clusterPools(spec).find((p) => p.name === name);
  if (!pool) throw new Error(`cluster ${spec.name} has no pool ${name}`);
  return pool;
}

/** The image a pool's containers run. */
export function poolImage(inputs: ContainerInputs, pool: ClusterPool): string {
  const image = inputs.poolImages?.[pool.name];
  if (image) return image;
  if (pool.kind === 'builtin') return inputs.workerImage;
  return pool.spec.image ?? '';
}

/**
 * The part of a built-in pool's container options that is the same for every replica (hashed
 * for drift). The processors folder is the cluster's, shared by every built-in pool; the rest
 * (the private-network rule and the network too) is the pool's own.
 */
function baseWorkerOptions(
  inputs: ContainerInputs,
  pool: ClusterPool,
): Dockerode.ContainerCreateOptions {
  const { spec } = inputs;
  const w = spec.workers;
  const p = pool.spec;
  const external = inputs.externalRedis;
  const env: Record<string, string> = {
    ...p.env,
    [WORKER_ENV.cluster]: spec.name,
    ...(external
      ? {
          // The URL (ACL user and password in it) and the CA are files, never env values.
          [WORKER_ENV.redisUrlFile]: REDIS_URL_FILE,
          ...(external.ca !== null ? { [WORKER_ENV.redisCaFile]: REDIS_CA_FILE } : {}),
        }
      : {
          ...(inputs.workerRedis === 'tcp'
            ? {
                [WORKER_ENV.redisHost]: REDIS_ALIAS,
                [WORKER_ENV.redisPort]: String(REDIS_CONTAINER_PORT),
              }
            : { [WORKER_ENV.redisSocket]: REDIS_SOCKET }),
          [WORKER_ENV.redisPasswordFile]: REDIS_PASSWORD_FILE,
        }),
    [WORKER_ENV.queues]: p.queues.map(queueEntry).join(','),
    [WORKER_ENV.concurrency]: String(p.concurrency),
    [WORKER_ENV.shutdownGraceMs]: String(Math.max(1, p.stopTimeoutSeconds - 2) * 1000),
  };
  if (w.processorsDir) env[WORKER_ENV.processorsDir] = PROCESSORS_MOUNT;
  if (p.allowPrivateNetworks) env[WORKER_ENV.allowPrivateNetworks] = '1';
  if (!p.shell) env[WORKER_ENV.shellOff] = '1';
  Object.assign(env, poolHostEnv(inputs.poolHosts?.get(pool.name)));
  if (pool.name !== DEFAULT_POOL) env[WORKER_ENV.pool] = pool.name;
  return {
    Image: poolImage(inputs, pool),
    User: WORKER_USER,
    Env: Object.entries(env)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([k, v]) => `${k}=${v}`),
    Healthcheck: {
      Test: ['CMD', 'node', '/opt/guildhall/worker.cjs', '--healthcheck'],
      Interval: 10 * SECOND_NS,
      Timeout: 5 * SECOND_NS,
      Retries: 3,
      StartPeriod: 10 * SECOND_NS,
    },
    StopTimeout: p.stopTimeoutSeconds,
    // No HostConfig.Init (see INIT_NOTE): the worker image's own init is PID 1.
    HostConfig: {
      ...workerSecurity(p.concurrency),
      ...poolRunOptions(inputs, pool),
      Mounts: [
        runVolumeMount(spec),
        ...(w.processorsDir
          ? [
              {
                Type: 'bind' as const,
                Source: w.processorsDir,
                Target: PROCESSORS_MOUNT,
                ReadOnly: true,
              },
            ]
          : []),
        ...poolHostMounts(inputs.poolHosts?.get(pool.name)),
      ],
    },
    NetworkingConfig: poolNetworking(spec, pool),
  };
}

/**
 * The one network a pool's containers join (internal-network.ts). A pool on the ordinary network
 * gets exactly what it always had, so its containers keep their spec hash.
 */
export function poolNetworking(
  spec: ClusterSpec,
  pool: ClusterPool,
): Dockerode.ContainerCreateOptions['NetworkingConfig'] {
  return { EndpointsConfig: { [poolNetworkName(spec, pool)]: {} } };
}

/**
 * How every pool's containers run, built-in or custom: restarted unless stopped (a worker exits
 * to reload changed processor files and must come back; a crash comes back too; an explicit stop
 * stays stopped), the host reachable as host.docker.internal where the engine allows (not from
 * the internal network, which has no way to the host), and the pool's CPU and memory limits.
 */
export function poolRunOptions(inputs: ContainerInputs, pool: ClusterPool): Dockerode.HostConfig {
  const p = pool.spec;
  return {
    RestartPolicy: { Name: 'unless-stopped' },
    ...(inputs.hostGateway && p.network !== 'internal' ? { ExtraHosts: [HOST_GATEWAY_ALIAS] } : {}),
    ...(p.cpus > 0 ? { NanoCpus: Math.round(p.cpus * SECOND_NS) } : {}),
    ...(p.memoryMb > 0 ? { Memory: p.memoryMb * MIB } : {}),
  };
}

/** Redis's run volume (config, password and URL files, its socket), read-only for the pools. */
export function runVolumeMount(spec: ClusterSpec): Dockerode.MountSettings {
  return {
    Type: 'volume',
    Source: volumeName(spec.name, 'redis-run'),
    Target: RUN_DIR,
    ReadOnly: true,
  };
}

/** The spec hash of a built-in pool's containers (the default pool's when `pool` is omitted). */
export function workerHash(
  inputs: ContainerInputs,
  pool = poolOf(inputs.spec, DEFAULT_POOL),
): string {
  const external = externalRedisDigest(inputs.externalRedis);
  return hashOf({
    base: baseWorkerOptions(inputs, pool),
    pw: passwordDigest(inputs.password),
    ...(external ? { external } : {}),
  });
}

/** Container `number` of a built-in pool (the default pool's when `pool` is omitted). */
export function workerCreateOptions(
  inputs: ContainerInputs,
  number: number,
  pool = poolOf(inputs.spec, DEFAULT_POOL),
): { options: Dockerode.ContainerCreateOptions; hash: string } {
  const base = baseWorkerOptions(inputs, pool);
  const hash = workerHash(inputs, pool);
  const name = containerName(inputs.spec.name, pool.name, number);
  return {
    hash,
    options: {
      ...base,
      name,
      Hostname: name,
      // The BullMQ worker name is the container name, so the core maps workers to containers.
      Env: [...(base.Env ?? []), `${WORKER_ENV.workerName}=${name}`],
      Labels: containerLabels(inputs.spec.name, pool.name, number, hash, inputs.version),
    },
  };
}
