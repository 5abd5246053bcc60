/**
 * Redis in the Kubernetes export: where the pools reach it and the Secret with its password, and,
 * when the cluster runs its own Redis, a StatefulSet (one replica, its data on a claim, the AOF
 * config of the local cluster) and the `redis` Service the pools connect to, named as the local
 * network alias so the pools' env is the local one. With `spec.redis.external` there is no Redis
 * object: the Secret holds the external password, URL and CA, and the pools read them as files.
 */
import type { IStatefulSet } from 'kubernetes-models/apps/v1/StatefulSet';
import type { IService } from 'kubernetes-models/v1/Service';
import { clusterRedisUrl } from '../cluster/connection-url';
import { externalClientUrl } from '../cluster/redis-connection';
import {
  redisConfig,
  redisCreateOptions,
  type ContainerInputs,
} from '../cluster/container-configs';
import type { ClusterSpec } from '../settings/cluster-spec';
import { REDIS_ALIAS, REDIS_CONTAINER_PORT } from '@shared/worker-contract';
import {
  REDIS_AUTH_KEYS,
  REDIS_AUTH_SECRET,
  kubeObject,
  labelsOf,
  secretObject,
  selectorOf,
  type KubeObject,
} from './kubernetes-objects';
import { podTemplateOf } from './kubernetes-pod';

/** Where the pods and KEDA reach Redis. */
export interface RedisEndpoint {
  /** Host as the pools resolve it (`redis`: the Service in their namespace). */
  host: string;
  port: number;
  /** Host:port as KEDA's operator, in its own namespace, resolves it. */
  kedaAddress: string;
  username: string | null;
  tls: boolean;
  database: number;
  external: boolean;
}

/** uid:gid of the `redis` user of the official Redis images, which the pod runs as. */
export const REDIS_USER = { uid: 999, gid: 999 };

/** The claim Redis's data (the AOF) lives on. */
export const REDIS_DATA_CLAIM = 'data';

/** Room for the AOF and its rewrite: twice Redis's memory limit, at least 1 GiB. */
export function redisStorageMb(memoryMb: number): number {
  return Math.max(1024, 2 * memoryMb);
}

export function redisEndpoint(spec: ClusterSpec, namespace: string): RedisEndpoint {
  const external = spec.redis.external;
  if (!external) {
    return {
      host: REDIS_ALIAS,
      port: REDIS_CONTAINER_PORT,
      kedaAddress: `${REDIS_ALIAS}.${namespace}.svc:${REDIS_CONTAINER_PORT}`,
      username: 'default',
      tls: false,
      database: 0,
      external: false,
    };
  }
  const url = new URL(external.url);
  const port = url.port ? Number(url.port) : REDIS_CONTAINER_PORT;
  const database = Number(url.pathname.replace(/^\//, '') || '0');
  return {
    host: url.hostname,
    port,
    kedaAddress: `${url.hostname}:${port}`,
    username: url.username ? decodeURIComponent(url.username) : null,
    tls: url.protocol === 'rediss:',
    database: Number.isInteger(database) ? database : 0,
    external: true,
  };
}

/** The URL the pools' programs connect with (password included: it goes only into the Secret). */
export function poolRedisUrl(spec: ClusterSpec, password: string | null): string {
  const external = spec.redis.external;
  if (!external) return clusterRedisUrl(password ?? '');
  return externalClientUrl(external, password);
}

/** The redis-auth Secret: password, URL, and with a Redis of our own its config; KEDA's keys. */
export function redisAuthSecret(
  spec: ClusterSpec,
  namespace: string,
  password: string | null,
  externalCa: string | null,
): KubeObject {
  const endpoint = redisEndpoint(spec, namespace);
  const values = new Map<string, string>([[REDIS_AUTH_KEYS.url, poolRedisUrl(spec, password)]]);
  if (password !== null) values.set(REDIS_AUTH_KEYS.password, password);
  if (!endpoint.external && password !== null)
    values.set(REDIS_AUTH_KEYS.config, kubernetesRedisConfig(spec, password));
  if (endpoint.external && endpoint.username)
    values.set(REDIS_AUTH_KEYS.username, endpoint.username);
  if (endpoint.tls) values.set(REDIS_AUTH_KEYS.tls, 'enable');
  if (externalCa) values.set(REDIS_AUTH_KEYS.ca, externalCa);
  return secretObject(namespace, REDIS_AUTH_SECRET, labelsOf(spec.name, 'redis'), values);
}

/**
 * The local cluster's Redis config without its unix socket: pods reach Redis over its Service,
 * never through a shared volume. AOF, memory limit and noeviction stay as they are.
 */
export function kubernetesRedisConfig(spec: ClusterSpec, password: string): string {
  return redisConfig(spec, password)
    .split('\n')
    .filter((line) => !line.startsWith('unixsocket'))
    .join('\n');
}

/** Redis's StatefulSet and Service (none with an external Redis). */
export function redisObjects(
  inputs: ContainerInputs,
  namespace: string,
): { objects: KubeObject[]; warnings: string[] } {
  const { spec } = inputs;
  if (spec.redis.external) return { objects: [], warnings: [] };
  const { options } = redisCreateOptions(inputs);
  const template = podTemplateOf(options, {
    who: 'redis',
    containerName: 'redis',
    runSecret: {
      name: REDIS_AUTH_SECRET,
      keys: [REDIS_AUTH_KEYS.config, REDIS_AUTH_KEYS.password],
    },
    poolSecret: null,
    claims: { '/data': REDIS_DATA_CLAIM },
    // Locally Redis starts as root to hand /data to its user (hence its capabilities); here it
    // starts as that user and the claim is its group's (fsGroup): no capability at all.
    user: REDIS_USER,
    capAdd: [],
  });
  const labels = labelsOf(spec.name, 'redis');
  const selector = selectorOf(spec.name, 'redis');
  const statefulSet: IStatefulSet = {
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: { name: REDIS_ALIAS, namespace, labels },
    spec: {
      serviceName: REDIS_ALIAS,
      replicas: 1,
      selector: { matchLabels: selector },
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
          volumes: template.volumes,
        },
      },
      volumeClaimTemplates: [
        {
          metadata: { name: REDIS_DATA_CLAIM, labels },
          spec: {
            accessModes: ['ReadWriteOnce'],
            resources: { requests: { storage: `${redisStorageMb(spec.redis.memoryMb)}Mi` } },
          },
        },
      ],
    },
  };
  const service: IService = {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: REDIS_ALIAS, namespace, labels },
    spec: {
      selector,
      ports: [{ name: 'redis', port: REDIS_CONTAINER_PORT, targetPort: REDIS_CONTAINER_PORT }],
    },
  };
  return { objects: [kubeObject(statefulSet), kubeObject(service)], warnings: template.warnings };
}
