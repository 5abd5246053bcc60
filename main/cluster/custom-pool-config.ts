/**
 * The engine's create options for a custom pool's containers: any image and command (a Celery
 * worker, say) that Guildhall creates, scales, limits, restarts and watches without ever talking
 * to the program inside. They join the cluster network and learn where Redis is from env
 * (GUILDHALL_REDIS_HOST, GUILDHALL_REDIS_PORT) and the URL with the password from a file in the
 * run volume, mounted read-only (GUILDHALL_REDIS_URL_FILE); `redisUrlEnv` also puts the URL in an
 * env var, for images that read only env (it then shows in `docker inspect`).
 */
import type Dockerode from 'dockerode';
import type { ClusterPool } from '../settings/cluster-spec';
import { clusterRedisUrl } from './connection-url';
import {
  SECOND_NS,
  externalRedisDigest,
  hashOf,
  passwordDigest,
  poolImage,
  poolNetworking,
  poolRunOptions,
  runVolumeMount,
  type ContainerInputs,
} from './container-configs';
import { customPoolSecurity } from './container-security';
import { containerLabels, containerName } from './naming';
import { poolHostMounts } from './pool-host';
import {
  POOL_ENV,
  REDIS_ALIAS,
  REDIS_CA_FILE,
  REDIS_CONTAINER_PORT,
  REDIS_URL_FILE,
} from '@shared/worker-contract';

/** The engine's healthcheck from a compose-style test (["CMD", …], ["CMD-SHELL", "…"]). */
function healthcheckOf(test: string[] | null): Dockerode.ContainerCreateOptions['Healthcheck'] {
  if (test === null) return undefined;
  return {
    Test: test,
    Interval: 10 * SECOND_NS,
    Timeout: 5 * SECOND_NS,
    Retries: 3,
    StartPeriod: 10 * SECOND_NS,
  };
}

function baseCustomOptions(
  inputs: ContainerInputs,
  pool: ClusterPool,
): Dockerode.ContainerCreateOptions {
  const { spec } = inputs;
  const p = pool.spec;
  const external = inputs.externalRedis;
  const env: Record<string, string> = {
    ...p.env,
    [POOL_ENV.redisHost]: external ? external.host : REDIS_ALIAS,
    [POOL_ENV.redisPort]: String(external ? external.port : REDIS_CONTAINER_PORT),
    [POOL_ENV.redisUrlFile]: REDIS_URL_FILE,
    ...(external?.ca ? { [POOL_ENV.redisCaFile]: REDIS_CA_FILE } : {}),
    ...(p.redisUrlEnv
      ? { [p.redisUrlEnv]: external ? external.url : clusterRedisUrl(inputs.password) }
      : {}),
  };
  const healthcheck = healthcheckOf(p.healthcheck);
  return {
    Image: poolImage(inputs, pool),
    ...(p.command ? { Cmd: p.command } : {}),
    Env: Object.entries(env)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([k, v]) => `${k}=${v}`),
    ...(healthcheck ? { Healthcheck: healthcheck } : {}),
    StopTimeout: p.stopTimeoutSeconds,
    HostConfig: {
      ...customPoolSecurity(),
      ...poolRunOptions(inputs, pool),
      Mounts: [runVolumeMount(spec), ...poolHostMounts(inputs.poolHosts?.get(pool.name))],
    },
    NetworkingConfig: poolNetworking(spec, pool),
  };
}

export function customPoolHash(inputs: ContainerInputs, pool: ClusterPool): string {
  const external = externalRedisDigest(inputs.externalRedis);
  return hashOf({
    base: baseCustomOptions(inputs, pool),
    pw: passwordDigest(inputs.password),
    ...(external ? { external } : {}),
  });
}

export function customPoolCreateOptions(
  inputs: ContainerInputs,
  pool: ClusterPool,
  number: number,
): { options: Dockerode.ContainerCreateOptions; hash: string } {
  const base = baseCustomOptions(inputs, pool);
  const hash = customPoolHash(inputs, pool);
  const name = containerName(inputs.spec.name, pool.name, number);
  return {
    hash,
    options: {
      ...base,
      name,
      Hostname: name,
      Labels: containerLabels(inputs.spec.name, pool.name, number, hash, inputs.version),
    },
  };
}
