/**
 * `guildhall export kubernetes`: the cluster spec as Kubernetes manifests, one YAML file per
 * object, numbered so that `kubectl apply -f DIR` (which reads files by name) creates the
 * Namespace first: Namespace; Secrets (Redis's, each pool's); Redis's StatefulSet and Service
 * (none with an external Redis); a Deployment per pool (and a NetworkPolicy for a pool on the
 * internal network); with `keda`, a TriggerAuthentication and
 * a ScaledObject per autoscaled pool. What cannot travel (host folders, a root image) is said in
 * the warnings and in a comment at the top of the object's file.
 *
 * Pure: the caller hands in the values (kubernetes-source.ts reads them from Guildhall's stores).
 * Secret values appear base64 in Secret objects only; before returning, every other object is
 * checked to hold none of them.
 */
import yaml from 'js-yaml';
import type { INamespace } from 'kubernetes-models/v1/Namespace';
import type { ContainerInputs } from '../cluster/container-configs';
import type { PoolHost } from '../cluster/pool-host';
import type { ExternalRedisFiles } from '../cluster/redis-connection';
import { clusterPools, type ClusterSpec } from '../settings/cluster-spec';
import { missingSecretError } from '../settings/user-secrets';
import { GuildhallError } from '../util/errors';
import { kedaScaledObject, kedaTriggerAuthentication } from './keda-scaled-object';
import {
  kubeObject,
  kubernetesName,
  labelsOf,
  poolSecretName,
  type KubeObject,
} from './kubernetes-objects';
import { internalNetworkPolicy } from './kubernetes-network-policy';
import { poolDeployment, poolSecret, type PoolExportContext } from './kubernetes-pools';
import { poolRedisUrl, redisAuthSecret, redisEndpoint, redisObjects } from './kubernetes-redis';

export interface KubernetesExportInput {
  spec: ClusterSpec;
  /** Namespace of every object; default the cluster's name. */
  namespace?: string | null;
  /** Add KEDA's ScaledObjects for the autoscaled pools. */
  keda: boolean;
  /** The cluster's Redis password, or the external Redis's (its passwordSecret); null: none. */
  redisPassword: string | null;
  /** Values of the secrets the pools name, by name. */
  secrets: ReadonlyMap<string, string>;
  /** The image each pool runs, by pool name (every pool must have one). */
  images: Readonly<Record<string, string>>;
  /** An external Redis's CA (PEM), for KEDA's TLS connection. */
  externalCa?: string | null;
  version: string;
}

/** One file of an export: a path relative to the output folder and its text. */
export interface ExportFile {
  path: string;
  content: string;
}

export interface KubernetesExport {
  files: ExportFile[];
  /** The documents, in apply order (one per file). */
  documents: KubeObject[];
  /** What could not travel or needs the user's hand, in English. */
  warnings: string[];
}

/** DNS-1123 label: what Kubernetes accepts as a namespace. */
const NAMESPACE_PATTERN = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;

interface Entry {
  object: KubeObject;
  notes: string[];
}

function checkInput(input: KubernetesExportInput, namespace: string): void {
  if (!NAMESPACE_PATTERN.test(namespace)) {
    throw new GuildhallError(
      'invalid-input',
      `"${namespace}" is not a Kubernetes namespace name.`,
      'Use up to 63 lowercase letters, digits or "-", starting and ending with a letter or digit: --namespace my-cluster',
    );
  }
  const pools = clusterPools(input.spec);
  const missing = pools.flatMap((pool) =>
    pool.spec.secrets
      .filter((name) => !input.secrets.has(name))
      .map((name) => ({ pool: pool.name, name })),
  );
  if (missing.length > 0) throw missingSecretError(missing);
  for (const pool of pools) {
    if (!input.images[pool.name]) {
      throw new GuildhallError(
        'invalid-input',
        `No image is known for pool "${pool.name}".`,
        `Build it with \`guildhall image build ${pool.name}\`, then export again.`,
      );
    }
  }
}

/** An external Redis's address, URL (password included) and CA, as the pools get them. */
function externalFiles(input: KubernetesExportInput): ExternalRedisFiles {
  const { host, port } = redisEndpoint(input.spec, '');
  return {
    host,
    port,
    url: poolRedisUrl(input.spec, input.redisPassword),
    ca: input.externalCa ?? null,
  };
}

function containerInputs(input: KubernetesExportInput): ContainerInputs {
  const { spec } = input;
  const poolHosts = new Map<string, PoolHost>(
    clusterPools(spec).map((pool) => [
      pool.name,
      {
        cluster: spec.name,
        pool: pool.name,
        secretsVolume: pool.spec.secrets.length > 0 ? poolSecretName(pool.name) : null,
        secrets: new Map(pool.spec.secrets.map((name) => [name, input.secrets.get(name) ?? ''])),
        mounts: pool.spec.mounts,
      },
    ]),
  );
  return {
    spec,
    redisImage: spec.redis.image,
    workerImage: input.images.worker ?? '',
    poolImages: input.images,
    password: input.redisPassword ?? '',
    version: input.version,
    workerRedis: 'tcp',
    hostGateway: false,
    poolHosts,
    // Every pool reaches an external Redis as the local ones do: its URL and CA as files.
    externalRedis: spec.redis.external ? externalFiles(input) : null,
  };
}

/** The objects of the export, in apply order, each with the notes for its file. */
function exportEntries(input: KubernetesExportInput, namespace: string): Entry[] {
  const { spec } = input;
  const inputs = containerInputs(input);
  const redis = redisEndpoint(spec, namespace);
  const ctx: PoolExportContext = {
    inputs,
    namespace,
    redis,
    hasPassword: input.redisPassword !== null,
  };
  const pools = clusterPools(spec);
  const entries: Entry[] = [
    {
      object: kubeObject<INamespace>({
        apiVersion: 'v1',
        kind: 'Namespace',
        metadata: { name: namespace, labels: labelsOf(spec.name, 'namespace') },
      }),
      notes: [],
    },
    {
      object: redisAuthSecret(spec, namespace, input.redisPassword, input.externalCa ?? null),
      notes: [],
    },
  ];
  for (const pool of pools) {
    const secret = poolSecret(pool, ctx, input.secrets);
    if (secret) entries.push({ object: secret, notes: [] });
  }
  const redisParts = redisObjects(inputs, namespace);
  entries.push(...redisParts.objects.map((object) => ({ object, notes: redisParts.warnings })));
  for (const pool of pools) {
    const { object, warnings } = poolDeployment(pool, ctx);
    if (pool.spec.autoscale && !input.keda) {
      warnings.push(
        `pool "${pool.name}" autoscales locally; without --keda it keeps ${pool.spec.replicas} replicas.`,
      );
    }
    entries.push({ object, notes: warnings });
    const policy = internalNetworkPolicy(spec.name, namespace, pool);
    if (policy) entries.push({ object: policy.object, notes: policy.warnings });
  }
  if (!input.keda) return entries;
  const scaled = pools.flatMap((pool) => {
    if (!pool.spec.autoscale) return [];
    const { object, warnings } = kedaScaledObject(
      spec.name,
      namespace,
      pool,
      pool.spec.autoscale,
      redis,
    );
    if (!object) {
      entries
        .find((e) => e.object.kind === 'Deployment' && e.object.metadata.name === pool.name)
        ?.notes.push(...warnings);
      return [];
    }
    return [{ object, notes: warnings }];
  });
  if (scaled.length === 0) return entries;
  const auth = kedaTriggerAuthentication(spec.name, namespace, redis, {
    password: input.redisPassword !== null,
    ca: Boolean(input.externalCa),
  });
  return [...entries, { object: auth, notes: [] }, ...scaled];
}

/** Throws when a secret value shows in any object but a Secret (a bug, never a user error). */
function assertNoSecretOutsideSecrets(input: KubernetesExportInput, objects: KubeObject[]): void {
  const values = [
    ...(input.redisPassword !== null ? [input.redisPassword] : []),
    ...[...input.secrets.values()].filter((value) => value.length > 0),
  ];
  for (const object of objects) {
    if (object.kind === 'Secret') continue;
    const text = JSON.stringify(object);
    if (values.some((value) => text.includes(value) || text.includes(encodeURIComponent(value)))) {
      throw new GuildhallError(
        'internal',
        `The Kubernetes export put a secret value into ${object.kind} ${object.metadata.name}; nothing was written.`,
        'Please report this bug.',
      );
    }
  }
}

/** `NN-kind-name.yaml`: the number keeps the apply order when kubectl reads the folder. */
function fileName(index: number, object: KubeObject): string {
  return `${String(index).padStart(2, '0')}-${object.kind.toLowerCase()}-${object.metadata.name}.yaml`;
}

function fileText(entry: Entry, header: string): string {
  const comments = [header, ...entry.notes.map((note) => `WARNING: ${note}`)]
    .flatMap((line) => line.split('\n'))
    .map((line) => `# ${line}`);
  return `${comments.join('\n')}\n${yaml.dump(entry.object, { noRefs: true, lineWidth: -1 })}`;
}

export function kubernetesExport(input: KubernetesExportInput): KubernetesExport {
  const namespace = input.namespace ?? kubernetesName(input.spec.name);
  checkInput(input, namespace);
  const entries = exportEntries(input, namespace);
  const documents = entries.map((entry) => entry.object);
  assertNoSecretOutsideSecrets(input, documents);
  const header = `Guildhall ${input.version}: cluster ${input.spec.name}, namespace ${namespace}.`;
  return {
    files: entries.map((entry, index) => ({
      path: fileName(index, entry.object),
      content: fileText(entry, header),
    })),
    documents,
    warnings: [...new Set(entries.flatMap((entry) => entry.notes))],
  };
}

/** Every file of an export as one multi-document YAML stream (what the CLI prints). */
export function exportStream(files: readonly ExportFile[]): string {
  return files.map((file) => `---\n${file.content}`).join('');
}
