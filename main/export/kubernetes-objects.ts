/**
 * The shapes and names every Kubernetes export file shares: a loose object type (the exported
 * documents are checked against the real Kubernetes and KEDA schemas in the tests, not by a copy
 * of them here), the labels that tie an object to its cluster and component, Secret building
 * (values base64 in `data`, nowhere else), and the names of the objects the others refer to.
 */

import type { ISecret } from 'kubernetes-models/v1/Secret';

/** One Kubernetes document: apiVersion, kind, metadata, and the kind's own fields. */
export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string> };
  [field: string]: unknown;
}

/**
 * A document typed by its kind's model (kubernetes-models' interfaces, checked at compile time:
 * a misspelt or misplaced field fails `npm run typecheck`) as one of the export's documents.
 */
export function kubeObject<T extends { apiVersion: string; kind: string; metadata?: object }>(
  object: T,
): KubeObject {
  return object as unknown as KubeObject;
}

/** The Secret with Redis's password (and, with a Redis of Guildhall's own, its config). */
export const REDIS_AUTH_SECRET = 'redis-auth';
/** Keys of REDIS_AUTH_SECRET: named as the files of the local run volume (worker-contract.ts). */
export const REDIS_AUTH_KEYS = {
  password: 'redis-password',
  url: 'redis-url',
  config: 'redis.conf',
  /** For KEDA only: the external Redis's ACL user, "enable" for TLS, and its CA. */
  username: 'redis-username',
  tls: 'redis-tls',
  ca: 'redis-ca.pem',
} as const;

/** The Secret holding one pool's secret files (mounted at /run/secrets). */
export function poolSecretName(pool: string): string {
  return `pool-${pool}-secrets`;
}

/**
 * A Kubernetes name from a cluster name: cluster names may hold "_", which DNS-1123 names may
 * not, so it becomes "-".
 */
export function kubernetesName(name: string): string {
  return name.replace(/_/g, '-');
}

/** The labels of every object of the cluster; `component` is `redis` or a pool's name. */
export function labelsOf(cluster: string, component: string): Record<string, string> {
  return {
    'app.kubernetes.io/name': 'guildhall',
    'app.kubernetes.io/instance': kubernetesName(cluster),
    'app.kubernetes.io/component': component,
    'app.kubernetes.io/managed-by': 'guildhall-export',
  };
}

/** The labels a Deployment or StatefulSet selects its pods by (a subset of labelsOf). */
export function selectorOf(cluster: string, component: string): Record<string, string> {
  return {
    'app.kubernetes.io/instance': kubernetesName(cluster),
    'app.kubernetes.io/component': component,
  };
}

/** A Secret of string values, base64 in `data`: the only place an exported value may appear. */
export function secretObject(
  namespace: string,
  name: string,
  labels: Record<string, string>,
  values: ReadonlyMap<string, string>,
): KubeObject {
  const data: Record<string, string> = Object.fromEntries(
    [...values.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([key, value]) => [key, Buffer.from(value, 'utf8').toString('base64')]),
  );
  const secret: ISecret = {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name, namespace, labels },
    type: 'Opaque',
    data,
  };
  return kubeObject(secret);
}
