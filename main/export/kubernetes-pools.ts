/**
 * One Deployment per pool, and one Secret per pool naming secrets. Each Deployment's pod is the
 * local pool's container (cluster/pool-configs.ts poolCreateOptions, the same function `up`
 * creates containers with) said in Kubernetes' words (kubernetes-pod.ts), with what differs
 * between the two places set here: Redis over its Service (or the external one), the worker's
 * name from its pod's, and the Redis URL an image asks for in env taken from the Secret.
 */
import type { IDeployment } from 'kubernetes-models/apps/v1/Deployment';
import type { ContainerInputs } from '../cluster/container-configs';
import { poolCreateOptions } from '../cluster/pool-configs';
import type { ClusterPool } from '../settings/cluster-spec';
import { WORKER_ENV } from '@shared/worker-contract';
import {
  REDIS_AUTH_KEYS,
  REDIS_AUTH_SECRET,
  kubeObject,
  labelsOf,
  poolSecretName,
  secretObject,
  selectorOf,
  type KubeObject,
} from './kubernetes-objects';
import { podTemplateOf, type EnvVar } from './kubernetes-pod';
import type { RedisEndpoint } from './kubernetes-redis';

export interface PoolExportContext {
  inputs: ContainerInputs;
  namespace: string;
  redis: RedisEndpoint;
  /** Whether the pools have a Redis password (file) to read. */
  hasPassword: boolean;
}

function secretRef(key: string): Omit<EnvVar, 'name'> {
  return { valueFrom: { secretKeyRef: { name: REDIS_AUTH_SECRET, key } } };
}

/** The env that differs from the local container's, by variable name. */
function envOverrides(
  pool: ClusterPool,
  ctx: PoolExportContext,
): Record<string, Omit<EnvVar, 'name'> | null> {
  const overrides: Record<string, Omit<EnvVar, 'name'> | null> = {
    [WORKER_ENV.workerName]: { valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
    // The same names in built-in and custom pools (POOL_ENV.redisHost, POOL_ENV.redisPort).
    [WORKER_ENV.redisHost]: { value: ctx.redis.host },
    [WORKER_ENV.redisPort]: { value: String(ctx.redis.port) },
  };
  if (!ctx.hasPassword) overrides[WORKER_ENV.redisPasswordFile] = null;
  if (pool.spec.redisUrlEnv) overrides[pool.spec.redisUrlEnv] = secretRef(REDIS_AUTH_KEYS.url);
  return overrides;
}

/**
 * The redis-auth keys mounted as the run volume's files: with an external Redis, its URL (ACL
 * user and password in it) and CA, which every pool reads as the local ones do; otherwise the
 * cluster Redis's password (built-in pools) and URL (custom pools).
 */
function runKeys(ctx: PoolExportContext): string[] {
  const external = ctx.inputs.externalRedis;
  if (external) {
    return [REDIS_AUTH_KEYS.url, ...(external.ca !== null ? [REDIS_AUTH_KEYS.ca] : [])];
  }
  return ctx.hasPassword ? [REDIS_AUTH_KEYS.password, REDIS_AUTH_KEYS.url] : [REDIS_AUTH_KEYS.url];
}

/** The Secret of a pool's own secret files; null when it names none. */
export function poolSecret(
  pool: ClusterPool,
  ctx: PoolExportContext,
  values: ReadonlyMap<string, string>,
): KubeObject | null {
  if (pool.spec.secrets.length === 0) return null;
  const own = new Map(pool.spec.secrets.map((name) => [name, values.get(name) ?? '']));
  return secretObject(
    ctx.namespace,
    poolSecretName(pool.name),
    labelsOf(ctx.inputs.spec.name, pool.name),
    own,
  );
}

/** A pool's Deployment, and what could not travel. */
export function poolDeployment(
  pool: ClusterPool,
  ctx: PoolExportContext,
): { object: KubeObject; warnings: string[] } {
  const { options } = poolCreateOptions(ctx.inputs, pool, 1);
  const template = podTemplateOf(options, {
    who: `pool "${pool.name}"`,
    containerName: pool.name,
    envOverrides: envOverrides(pool, ctx),
    runSecret: { name: REDIS_AUTH_SECRET, keys: runKeys(ctx) },
    poolSecret: pool.spec.secrets.length > 0 ? poolSecretName(pool.name) : null,
  });
  const warnings = [...template.warnings];
  if (pool.kind === 'custom') {
    warnings.push(
      `pool "${pool.name}" runs as its image's own user locally; Kubernetes runs it non-root ` +
        '(runAsNonRoot) and refuses to start an image whose user is root: give the image a USER.',
    );
  }
  const labels = labelsOf(ctx.inputs.spec.name, pool.name);
  const deployment: IDeployment = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: pool.name, namespace: ctx.namespace, labels },
    spec: {
      replicas: pool.spec.replicas,
      selector: { matchLabels: selectorOf(ctx.inputs.spec.name, pool.name) },
      template: {
        metadata: { labels },
        spec: {
          automountServiceAccountToken: false,
          enableServiceLinks: false,
          securityContext: template.podSecurityContext,
          ...(template.terminationGracePeriodSeconds !== undefined
            ? { terminationGracePeriodSeconds: template.terminationGracePeriodSeconds }
            : {}),
          containers: [template.container],
          ...(template.volumes.length > 0 ? { volumes: template.volumes } : {}),
        },
      },
    },
  };
  return { object: kubeObject(deployment), warnings };
}
