/**
 * The files a reconcile writes into volumes before the containers that read them start: Redis's
 * run files (config, password, the URL file custom pools read), an external Redis's URL and CA
 * file, and each pool's secret files.
 */
import { randomBytes } from 'node:crypto';
import type Dockerode from 'dockerode';
import { clusterPools, type ClusterSpec } from '../settings/cluster-spec';
import { clusterRedisUrl } from './connection-url';
import { redisConfig } from './container-configs';
import { LABEL, containerName, volumeName } from './naming';
import type { Plan } from './plan';
import { poolSecretsWriter, type PoolHost } from './pool-host';
import { putSecretFiles, type SecretFile } from './secret-files';
import type { ExternalRedisFiles } from './redis-connection';
import {
  REDIS_CA_FILE,
  REDIS_CONFIG_FILE,
  REDIS_PASSWORD_FILE,
  REDIS_URL_FILE,
  RUN_DIR,
} from '@shared/worker-contract';

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

/**
 * An external Redis's URL (password included) and CA into the run volume, through a helper
 * container that is never started (there is no Redis container of ours to write through): every
 * pool reads them as it starts. Written on each reconcile that starts a container, so a changed
 * password or CA reaches the containers the changed spec hash recreates.
 */
export async function writeExternalRedisFiles(
  options: RunFileInputs & { externalRedis: ExternalRedisFiles; workerImage: string },
  plan: Plan,
): Promise<void> {
  const starts = plan.workers.flat().some((a) => a.kind === 'create' || a.kind === 'start');
  if (!starts) return;
  const { docker, spec, externalRedis } = options;
  const files: SecretFile[] = [
    { path: REDIS_URL_FILE, content: `${externalRedis.url}\n`, mode: 0o444 },
    ...(externalRedis.ca !== null
      ? [{ path: REDIS_CA_FILE, content: externalRedis.ca, mode: 0o444 }]
      : []),
  ];
  const helper = await docker.createContainer({
    name: `${spec.name}-redis-files-${randomBytes(4).toString('hex')}`,
    Image: options.workerImage,
    Entrypoint: ['/bin/true'],
    Cmd: [],
    Labels: { [LABEL.managed]: 'true', [LABEL.cluster]: spec.name },
    NetworkDisabled: true,
    HostConfig: {
      Mounts: [{ Type: 'volume', Source: volumeName(spec.name, 'redis-run'), Target: RUN_DIR }],
    },
  });
  try {
    await putSecretFiles(helper, files);
  } finally {
    await helper.remove({ force: true }).catch(() => {});
  }
}
