/**
 * What the Kubernetes export tests share: a spec with a built-in default pool (a secret, a host
 * folder), a custom Celery pool (healthcheck, secret, Redis URL in env, autoscaled) and an
 * autoscaled built-in pool; the export's input with its secret values; and ways to read the
 * documents back as the user gets them and validate them (kubernetes-schemas.ts).
 */
import yaml from 'js-yaml';
import { expect } from 'vitest';
import {
  exportStream,
  kubernetesExport,
  type KubernetesExportInput,
} from '../../main/export/kubernetes-export';
import type { KubeObject } from '../../main/export/kubernetes-objects';
import { clusterSpecSchema } from '../../main/settings/cluster-spec';
import { schemaProblems } from './kubernetes-schemas';

export const PASSWORD = 'redis-pass-5f1c9a77e2';
export const SECRETS = new Map([
  ['API_KEY', 'api-key-value-31337'],
  ['DB_PASSWORD', 'db-password-value-4242'],
]);

/** A built-in default pool with a secret and a host folder, a custom Celery pool with a
 *  healthcheck and a secret, and an autoscaled built-in pool. */
export function demoSpec(extra: Record<string, unknown> = {}, sharedFolder = '/srv/shared') {
  return clusterSpecSchema.parse({
    name: 'demo_k8s',
    workers: {
      replicas: 2,
      cpus: 0.5,
      memoryMb: 256,
      secrets: ['API_KEY'],
      mounts: [{ source: sharedFolder, target: '/shared' }],
    },
    pools: {
      celery: {
        image: 'example/celery:5',
        command: ['celery', '-A', 'app', 'worker'],
        healthcheck: ['CMD-SHELL', 'celery -A app inspect ping'],
        secrets: ['DB_PASSWORD'],
        redisUrlEnv: 'CELERY_BROKER_URL',
        watch: { celery: ['celery', 'mail'] },
        autoscale: { min: 0, max: 6, backlogPerWorker: 20, cooldownSeconds: 120 },
      },
      tools: {
        replicas: 1,
        shell: true,
        queues: ['shell', { name: 'reports', processor: 'shell' }],
        autoscale: { min: 1, max: 8, backlogPerWorker: 50 },
      },
    },
    ...extra,
  });
}

export function input(overrides: Partial<KubernetesExportInput> = {}): KubernetesExportInput {
  return {
    spec: demoSpec(),
    keda: true,
    redisPassword: PASSWORD,
    secrets: SECRETS,
    images: {
      worker: 'registry.example/guildhall/worker:1',
      tools: 'registry.example/guildhall/worker:1',
      celery: 'example/celery:5',
    },
    version: 'test',
    ...overrides,
  };
}

/** The fields these assertions walk (plus the Secrets' keys, read as `data[key]`). */
type Field =
  | 'add'
  | 'advanced'
  | 'args'
  | 'authenticationRef'
  | 'automountServiceAccountToken'
  | 'behavior'
  | 'capabilities'
  | 'command'
  | 'containers'
  | 'emptyDir'
  | 'env'
  | 'exec'
  | 'horizontalPodAutoscalerConfig'
  | 'key'
  | 'kind'
  | 'limits'
  | 'listName'
  | 'livenessProbe'
  | 'metadata'
  | 'minReplicaCount'
  | 'mountPath'
  | 'name'
  | 'namespace'
  | 'parameter'
  | 'readOnly'
  | 'readOnlyRootFilesystem'
  | 'replicas'
  | 'requests'
  | 'resources'
  | 'runAsNonRoot'
  | 'scaleDown'
  | 'scaleTargetRef'
  | 'scalingModifiers'
  | 'secret'
  | 'secretName'
  | 'secretTargetRef'
  | 'securityContext'
  | 'selector'
  | 'spec'
  | 'stabilizationWindowSeconds'
  | 'storage'
  | 'template'
  | 'triggers'
  | 'value'
  | 'valueFrom'
  | 'volumeClaimTemplates'
  | 'volumeMounts'
  | 'volumes';

/**
 * A document read back from YAML, walked by path in the assertions: its shape is what the
 * schemas check; here only its values are.
 */
export type Loose = { [K in Field]: Loose } & {
  0: Loose;
  data: Record<string, string>;
  find(predicate: (item: Loose) => unknown): Loose;
  map<T>(each: (item: Loose) => T): T[];
} & string;

/** The documents as the user gets them: the printed YAML stream, parsed back. */
export function documentsOf(result: ReturnType<typeof kubernetesExport>): KubeObject[] {
  return yaml.loadAll(exportStream(result.files)).filter(Boolean) as KubeObject[];
}

export function find(docs: readonly unknown[], kind: string, name: string): Loose {
  const all = docs as KubeObject[];
  const doc = all.find((d) => d.kind === kind && d.metadata.name === name);
  if (!doc) throw new Error(`no ${kind} ${name} in ${all.map((d) => d.kind).join(', ')}`);
  return doc as unknown as Loose;
}

/** Sets (or, with undefined, deletes) the field at a dotted path of a document. */
export function mutate(doc: unknown, path: string, value: unknown): void {
  const keys = path.split('.');
  const last = keys.pop()!;
  const parent = keys.reduce((node, key) => (node as Record<string, unknown>)[key], doc) as Record<
    string,
    unknown
  >;
  if (value === undefined) delete parent[last];
  else parent[last] = value;
}

export function expectValid(docs: KubeObject[]): void {
  expect(docs.flatMap((doc) => schemaProblems(doc))).toEqual([]);
}

/** Every secret value, as itself and as it would show base64 or URL-encoded. */
export function secretForms(values: string[]): string[] {
  return values.flatMap((v) => [v, Buffer.from(v).toString('base64'), encodeURIComponent(v)]);
}
