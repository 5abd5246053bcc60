/**
 * KEDA for the autoscaled pools: a ScaledObject per pool with `autoscale`, scaling its Deployment
 * on the length of the Redis lists its work waits in, and one TriggerAuthentication reading the
 * Redis password (and an external Redis's user, TLS and CA) from the redis-auth Secret.
 *
 * The lists: a built-in pool's jobs wait in BullMQ's wait list of each queue it serves,
 * `bull:<queue>:wait` (the worker program uses BullMQ's default key prefix); a custom pool's in
 * the Celery lists it watches (a Celery queue on Redis is a list of the queue's name).
 *
 * The local autoscaler aims at `backlogPerWorker` jobs per container over all the pool's queues
 * together, so with several lists the ScaledObject sums them (KEDA's scalingModifiers formula,
 * KEDA 2.12+) against that target; each trigger's listLength is the same target. `min`/`max`
 * are the replica bounds; `cooldownSeconds` is both KEDA's cooldown (to zero) and the HPA's
 * scale-down stabilization window (between replica counts), as locally a scale-down waits for it.
 */
import type { IScaledObject } from '@kubernetes-models/keda/keda.sh/v1alpha1/ScaledObject';
import type { ITriggerAuthentication } from '@kubernetes-models/keda/keda.sh/v1alpha1/TriggerAuthentication';
import { BUILTIN_QUEUES } from '@shared/worker-contract';
import type { ClusterPool } from '../settings/cluster-spec';
import type { AutoscaleSpec } from '../settings/pool-spec';
import {
  REDIS_AUTH_KEYS,
  REDIS_AUTH_SECRET,
  kubeObject,
  labelsOf,
  type KubeObject,
} from './kubernetes-objects';
import type { RedisEndpoint } from './kubernetes-redis';

/** BullMQ's default key prefix, the one the worker program's queues use. */
export const BULLMQ_PREFIX = 'bull';

/** The TriggerAuthentication every ScaledObject of the export refers to. */
export const KEDA_AUTH = 'redis-auth';

/** BullMQ's wait list of a queue. */
export function bullWaitList(queue: string): string {
  return `${BULLMQ_PREFIX}:${queue}:wait`;
}

/** The Redis lists a pool's backlog waits in, and what could not be covered. */
export function poolBacklogLists(pool: ClusterPool): { lists: string[]; warnings: string[] } {
  if (pool.kind === 'custom') {
    const lists = pool.spec.watch.celery;
    return {
      lists,
      warnings:
        lists.length === 0
          ? [
              `pool "${pool.name}" autoscales but watches no Celery queue: it has no ScaledObject. ` +
                'Name its queues in watch.celery to scale it on their length.',
            ]
          : [],
    };
  }
  if (pool.spec.queues.length > 0) {
    const queues = pool.spec.queues.map((binding) =>
      typeof binding === 'string' ? binding : binding.name,
    );
    return { lists: [...new Set(queues)].map(bullWaitList), warnings: [] };
  }
  return {
    lists: BUILTIN_QUEUES.map(bullWaitList),
    warnings: [
      `pool "${pool.name}" serves every queue: its ScaledObject watches the built-in queues ` +
        `(${BUILTIN_QUEUES.join(', ')}); name the queues of your processor files in its queues ` +
        'to scale on them too.',
    ],
  };
}

/**
 * The TriggerAuthentication: the Redis password, and an external Redis's user, TLS ("enable") and
 * CA. TLS is asked for here only, never also in a trigger's metadata (KEDA refuses both).
 */
export function kedaTriggerAuthentication(
  cluster: string,
  namespace: string,
  redis: RedisEndpoint,
  keys: { password: boolean; ca: boolean },
): KubeObject {
  const ref = (parameter: string, key: string) => ({ parameter, name: REDIS_AUTH_SECRET, key });
  const auth: ITriggerAuthentication = {
    apiVersion: 'keda.sh/v1alpha1',
    kind: 'TriggerAuthentication',
    metadata: { name: KEDA_AUTH, namespace, labels: labelsOf(cluster, 'redis') },
    spec: {
      secretTargetRef: [
        ...(keys.password ? [ref('password', REDIS_AUTH_KEYS.password)] : []),
        ...(redis.external && redis.username ? [ref('username', REDIS_AUTH_KEYS.username)] : []),
        ...(redis.tls ? [ref('tls', REDIS_AUTH_KEYS.tls)] : []),
        ...(redis.tls && keys.ca ? [ref('ca', REDIS_AUTH_KEYS.ca)] : []),
      ],
    },
  };
  return kubeObject(auth);
}

/** A pool's ScaledObject; null (with the reason) when it has no list to scale on. */
export function kedaScaledObject(
  cluster: string,
  namespace: string,
  pool: ClusterPool,
  autoscale: AutoscaleSpec,
  redis: RedisEndpoint,
): { object: KubeObject | null; warnings: string[] } {
  const { lists, warnings } = poolBacklogLists(pool);
  if (lists.length === 0) return { object: null, warnings };
  const target = String(autoscale.backlogPerWorker);
  const triggers = lists.map((listName, index) => ({
    type: 'redis',
    name: `list${index}`,
    metadata: {
      address: redis.kedaAddress,
      listName,
      listLength: target,
      databaseIndex: String(redis.database),
    },
    authenticationRef: { name: KEDA_AUTH },
  }));
  const scaledObject: IScaledObject = {
    apiVersion: 'keda.sh/v1alpha1',
    kind: 'ScaledObject',
    metadata: { name: pool.name, namespace, labels: labelsOf(cluster, pool.name) },
    spec: {
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: pool.name },
      minReplicaCount: autoscale.min,
      maxReplicaCount: autoscale.max,
      cooldownPeriod: autoscale.cooldownSeconds,
      advanced: {
        horizontalPodAutoscalerConfig: {
          behavior: {
            scaleDown: { stabilizationWindowSeconds: autoscale.cooldownSeconds },
          },
        },
        ...(triggers.length > 1
          ? {
              scalingModifiers: {
                formula: triggers.map((t) => t.name).join(' + '),
                target,
                metricType: 'AverageValue',
              },
            }
          : {}),
      },
      triggers,
    },
  };
  return { object: kubeObject(scaledObject), warnings };
}
