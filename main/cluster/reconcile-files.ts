/**
 * The files a reconcile writes into volumes before the containers that read them start: Redis's
 * run files (config, password, the URL file custom pools read) and each pool's secret files.
 */
import type Dockerode from 'dockerode';
import { clusterPools, type ClusterSpec } from '../settings/cluster-spec';
import { clusterRedisUrl } from './connection-url';
import { redisConfig } from './container-configs';
import { containerName } from './naming';
import type { Plan } from './plan';
import { poolSecretsWriter, type PoolHost } from './pool-host';
import { putSecretFiles } from './secret-files';
import { REDIS_CONFIG_FILE, REDIS_PASSWORD_FILE, REDIS_URL_FILE } from '@shared/worker-contract';

/** What writing the files needs of a reconcile's options. */
export interface RunFileInputs {
  docker: Dockerode;
  spec: ClusterSpec;
  password: string;
}

/**
 * Redis's config, the password file and the URL file (for custom pools), into the run volume.
 * Readable by every user: Redis may run unprivileged, its healthcheck reads the password, and so
 * do the workers' user (uid 1000) and a custom pool's image's own user; only the cluster's own
 * containers mount the volume.
 */
export async function writeRunFiles(options: RunFileInputs, container: Dockerode.Container) {
  await putSecretFiles(container, [
    { path: REDIS_CONFIG_FILE, content: redisConfig(options.spec, options.password), mode: 0o444 },
    { path: REDIS_PASSWORD_FILE, content: options.password, mode: 0o444 },
    urlFile(options.password),
  ]);
}

/** One secrets writer per reconcile: each pool's secrets volume is written once, before a create. */
const secretsWriters = new WeakMap<RunFileInputs, ReturnType<typeof poolSecretsWriter>>();

/** Writes a pool's secret files (pool-host.ts) before the first of its containers is created. */
export function writeSecretsOnce(
  options: RunFileInputs,
  host: PoolHost | undefined,
  image: string,
): Promise<void> {
  let writer = secretsWriters.get(options);
  if (!writer) {
    writer = poolSecretsWriter(options.docker);
    secretsWriters.set(options, writer);
  }
  return writer(host, image);
}

function urlFile(password: string) {
  return { path: REDIS_URL_FILE, content: `${clusterRedisUrl(password)}\n`, mode: 0o444 };
}

/**
 * A custom pool's containers read the URL file as they start. A Redis created by this run writes
 * it with its other files; one kept (made before pools, or before the first custom pool) gets it
 * here, before any custom container is created or started.
 */
export async function writeUrlFileForCustomPools(
  options: RunFileInputs,
  plan: Plan,
): Promise<void> {
  const custom = new Set(
    clusterPools(options.spec)
      .filter((pool) => pool.kind === 'custom')
      .map((pool) => pool.name),
  );
  const startsCustom = plan.workers
    .flat()
    .some((a) => (a.kind === 'create' || a.kind === 'start') && custom.has(a.pool));
  if (!startsCustom || plan.redis.some((a) => a.kind === 'create')) return;
  const container = options.docker.getContainer(containerName(options.spec.name, 'redis', 1));
  await putSecretFiles(container, [urlFile(options.password)]);
}
