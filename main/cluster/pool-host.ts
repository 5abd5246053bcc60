/**
 * What a pool's containers get from the host: its secrets, as read-only files under SECRETS_DIR,
 * and its mounts, host folders bound in (read-only unless asked). Takes any pool, by name,
 * secrets and mounts, so every pool's containers are made the same way.
 *
 * Secrets travel in a volume of the pool's own, `<cluster>_secrets-<pool>-<digest>`, written
 * through the engine's archive API into a never-started helper container before the pool's
 * containers are created: never in env, command lines, labels or inspect output. The digest is an
 * HMAC of the names and values keyed with the cluster's Redis password (random, never shown), so
 * the name reveals nothing, and a changed value gives a new volume name: the containers' options,
 * and so their spec hash, change, and the next `up` recreates them on a fresh volume (no stale
 * file of a secret the pool stopped naming). Volumes no container uses any more are pruned.
 */
import { createHmac, randomBytes } from 'node:crypto';
import type Dockerode from 'dockerode';
import tar from 'tar-stream';
import { SECRETS_DIR, WORKER_ENV } from '@shared/worker-contract';
import { clusterPools, type ClusterSpec } from '../settings/cluster-spec';
import { DEFAULT_POOL, type MountSpec } from '../settings/pool-spec';
import type { SecretStore } from '../settings/secret-store';
import { expandHome, mountSourceProblem } from '../settings/settings-rules';
import { poolSecretValues } from '../settings/user-secrets';
import { GuildhallError } from '../util/errors';
import { COMPOSE_LABEL, LABEL } from './naming';

/** The host inputs of one pool, resolved for an `up`. */
export interface PoolHost {
  cluster: string;
  pool: string;
  /** The pool's secrets volume; null when the pool names no secret. */
  secretsVolume: string | null;
  /** Secret values by name (written into the volume; never logged). */
  secrets: ReadonlyMap<string, string>;
  mounts: readonly MountSpec[];
}

/** Label marking a secrets volume with its pool; also marks the helper that writes it. */
export const SECRETS_POOL_LABEL = 'io.guildhall.secrets-pool';

/** Where a pool's settings live, for error messages: the default pool is `workers`. */
export type PoolSettingsPath = string;

/**
 * Resolves a pool's secrets from the store and checks its mounts' sources, before anything is
 * changed: a secret not stored or a mount source that breaks the rules (settings-rules.ts) throws
 * a GuildhallError naming it and the fix. `at` is the pool's settings path (`cluster.workers`,
 * `cluster.pools.tools`).
 */
export async function resolvePoolHost(
  store: SecretStore,
  options: {
    cluster: string;
    pool: string;
    secrets: readonly string[];
    mounts: readonly MountSpec[];
    /** The cluster's Redis password: the key of the volume name's digest. */
    password: string;
    at: PoolSettingsPath;
  },
): Promise<PoolHost> {
  options.mounts.forEach((mount, index) => {
    const problem = mountSourceProblem(mount.source);
    if (problem) {
      throw new GuildhallError(
        'invalid-input',
        `${options.at}.mounts.${index}.source: ${problem}.`,
        `Change the mount of pool "${options.pool}" to a folder holding only what its jobs need.`,
      );
    }
  });
  const secrets = await poolSecretValues(store, { name: options.pool, secrets: options.secrets });
  return {
    cluster: options.cluster,
    pool: options.pool,
    secretsVolume:
      secrets.size > 0
        ? `${options.cluster}_secrets-${options.pool}-${secretsDigest(secrets, options.password)}`
        : null,
    secrets,
    mounts: options.mounts,
  };
}

/**
 * Every pool's host inputs, by pool name (clusterPools order), resolved and checked before `up`
 * changes anything: the first secret not stored or mount source refused throws.
 */
export async function resolveClusterPoolHosts(
  store: SecretStore,
  spec: ClusterSpec,
  password: string,
): Promise<Map<string, PoolHost>> {
  const hosts = new Map<string, PoolHost>();
  for (const pool of clusterPools(spec)) {
    const host = await resolvePoolHost(store, {
      cluster: spec.name,
      pool: pool.name,
      secrets: pool.spec.secrets,
      mounts: pool.spec.mounts,
      password,
      at: pool.name === DEFAULT_POOL ? 'cluster.workers' : `cluster.pools.${pool.name}`,
    });
    hosts.set(pool.name, host);
  }
  return hosts;
}

/** The secrets volumes the pools use now (what pruneSecretsVolumes keeps). */
export function secretsVolumesInUse(hosts: ReadonlyMap<string, PoolHost>): string[] {
  return [...hosts.values()].flatMap((host) => (host.secretsVolume ? [host.secretsVolume] : []));
}

function secretsDigest(secrets: ReadonlyMap<string, string>, key: string): string {
  const entries = [...secrets.entries()].sort(([a], [b]) => a.localeCompare(b));
  return createHmac('sha256', key).update(JSON.stringify(entries)).digest('hex').slice(0, 12);
}

/** The pool's mounts for HostConfig.Mounts: its secrets volume (read-only) and its binds. */
export function poolHostMounts(host: PoolHost | undefined): Dockerode.MountSettings[] {
  if (!host) return [];
  return [
    ...(host.secretsVolume
      ? [
          {
            Type: 'volume' as const,
            Source: host.secretsVolume,
            Target: SECRETS_DIR,
            ReadOnly: true,
          },
        ]
      : []),
    ...host.mounts.map((mount) => ({
      Type: 'bind' as const,
      Source: expandHome(mount.source),
      Target: mount.target,
      ReadOnly: mount.readOnly,
    })),
  ];
}

/**
 * Env for a built-in pool's worker program: where the secret files are (the worker gives each to
 * shell jobs and processor files as an env var). Names only, never values.
 */
export function poolHostEnv(host: PoolHost | undefined): Record<string, string> {
  return host?.secretsVolume ? { [WORKER_ENV.secretsDir]: SECRETS_DIR } : {};
}

/**
 * Creates the pool's secrets volume and writes one file per secret into it (mode 0444, root's:
 * readable by the container's user whoever it is; the containers mount it read-only). `image` is
 * any image the engine has (the pool's own): the helper container is never started. Safe to run
 * again: the same name always holds the same content.
 */
export async function writePoolSecrets(
  docker: Dockerode,
  host: PoolHost,
  image: string,
): Promise<void> {
  if (!host.secretsVolume) return;
  const labels = {
    [LABEL.managed]: 'true',
    [LABEL.cluster]: host.cluster,
    [SECRETS_POOL_LABEL]: host.pool,
    [COMPOSE_LABEL.project]: host.cluster,
  };
  // Docker answers an existing name with that volume; Podman may answer 409: the same either way.
  await docker.createVolume({ Name: host.secretsVolume, Labels: labels }).catch((err: unknown) => {
    if ((err as { statusCode?: number }).statusCode !== 409) throw err;
  });
  const helper = await docker.createContainer({
    name: `${host.cluster}-secrets-${host.pool}-${randomBytes(4).toString('hex')}`,
    Image: image,
    Entrypoint: ['/bin/true'],
    Cmd: [],
    Labels: labels,
    NetworkDisabled: true,
    HostConfig: {
      Mounts: [{ Type: 'volume', Source: host.secretsVolume, Target: SECRETS_DIR }],
    },
  });
  try {
    await helper.putArchive(await secretsArchive(host.secrets), { path: SECRETS_DIR });
  } finally {
    await helper.remove({ force: true }).catch(() => {});
  }
}

/** One file per secret, named relative to SECRETS_DIR (see secret-files.ts on Podman). */
export async function secretsArchive(secrets: ReadonlyMap<string, string>): Promise<Buffer> {
  const pack = tar.pack();
  for (const [name, value] of secrets) {
    pack.entry({ name, mode: 0o444, uid: 0, gid: 0 }, value);
  }
  pack.finalize();
  const chunks: Buffer[] = [];
  for await (const chunk of pack) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/**
 * Writes each pool's secrets once per `up`, however many of its containers are created: the
 * first create of a pool's container waits for it.
 */
export function poolSecretsWriter(
  docker: Dockerode,
): (host: PoolHost | undefined, image: string) => Promise<void> {
  const written = new Map<string, Promise<void>>();
  return (host, image) => {
    if (!host?.secretsVolume) return Promise.resolve();
    let writing = written.get(host.secretsVolume);
    if (!writing) {
      writing = writePoolSecrets(docker, host, image);
      written.set(host.secretsVolume, writing);
    }
    return writing;
  };
}

/**
 * Removes the cluster's secrets volumes except `keep` (the ones the pools use now). A volume a
 * container still uses is left for the next run; `keep` empty removes them all (`down`).
 */
export async function pruneSecretsVolumes(
  docker: Dockerode,
  cluster: string,
  keep: readonly string[] = [],
): Promise<string[]> {
  const { Volumes } = await docker.listVolumes({
    filters: {
      label: [`${LABEL.managed}=true`, `${LABEL.cluster}=${cluster}`, SECRETS_POOL_LABEL],
    },
  });
  const removed: string[] = [];
  // Checked again here: Podman 4.3 matches any one of several label filters, which would take
  // the cluster's other volumes (its Redis data) along.
  const ours = (Volumes ?? []).filter(
    (volume) =>
      volume.Labels?.[LABEL.cluster] === cluster &&
      volume.Labels?.[SECRETS_POOL_LABEL] !== undefined &&
      volume.Name.startsWith(`${cluster}_secrets-`),
  );
  for (const volume of ours) {
    if (keep.includes(volume.Name)) continue;
    try {
      await docker.getVolume(volume.Name).remove();
      removed.push(volume.Name);
    } catch (err) {
      const status = (err as { statusCode?: number }).statusCode;
      if (status !== 404 && status !== 409) throw err;
    }
  }
  return removed;
}
