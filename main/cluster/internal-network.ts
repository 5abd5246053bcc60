/**
 * The cluster's internal network (issue 19): `<cluster>_internal`, made with `Internal: true` so
 * the engine routes nothing out of it, and without an address of the host on its bridge
 * (`inhibit_ipv4`), so the host is not reachable through its gateway either. Pools with
 * `network: internal` join only it; Redis joins it too (alias `redis`, beside its place on the
 * cluster's ordinary network), so those pools reach Redis and nothing else. It exists while a
 * pool asks for it: `up` makes it and connects Redis, and removes it once no pool needs it;
 * `down` removes it with the rest.
 */
import type Dockerode from 'dockerode';
import { REDIS_ALIAS } from '@shared/worker-contract';
import { clusterPools, type ClusterPool, type ClusterSpec } from '../settings/cluster-spec';
import { progress, type ProgressSink } from '../util/progress';
import { internalNetworkName, networkLabels, networkName } from './naming';
import { findNetworkNamed } from './observe';
import type { ObservedCluster, Plan } from './plan';

/**
 * The bridge driver's option that leaves the bridge without an IPv4 address: without it, a
 * container on an internal network still reaches the host's own services at the bridge's
 * address (Docker 20.10, checked by tests/integration/internal-network.test.ts). Podman 4.3
 * ignores it (with a warning): there the host stays reachable at the network's gateway address
 * (README, Podman).
 */
export const NO_HOST_ADDRESS_OPTION = 'com.docker.network.bridge.inhibit_ipv4';

/** Whether any pool of the spec joins the internal network. */
export function usesInternalNetwork(spec: ClusterSpec): boolean {
  return clusterPools(spec).some((pool) => pool.spec.network === 'internal');
}

/** The one network a pool's containers join: the internal one, or the cluster's ordinary one. */
export function poolNetworkName(spec: ClusterSpec, pool: ClusterPool): string {
  return pool.spec.network === 'internal' ? internalNetworkName(spec.name) : networkName(spec.name);
}

/** The internal network's create options. */
export function internalNetworkOptions(cluster: string): Dockerode.NetworkCreateOptions {
  return {
    Name: internalNetworkName(cluster),
    Driver: 'bridge',
    Internal: true,
    CheckDuplicate: true,
    Options: { [NO_HOST_ADDRESS_OPTION]: 'true' },
    Labels: networkLabels(cluster, 'internal'),
  };
}

/** The internal network's id, or null when the engine has none. */
export function findInternalNetworkId(docker: Dockerode, cluster: string): Promise<string | null> {
  return findNetworkNamed(docker, internalNetworkName(cluster));
}

/** Makes the internal network when the spec needs it and it is missing; true when it made it. */
export async function ensureInternalNetwork(
  docker: Dockerode,
  spec: ClusterSpec,
  onProgress: ProgressSink,
): Promise<boolean> {
  if (!usesInternalNetwork(spec)) return false;
  if (await findInternalNetworkId(docker, spec.name)) return false;
  const name = internalNetworkName(spec.name);
  progress(onProgress, 'network', name, 'running', { message: 'creating (internal)' });
  try {
    await docker.createNetwork(internalNetworkOptions(spec.name));
  } catch (err) {
    // A concurrent run made it first.
    if ((err as { statusCode?: number }).statusCode !== 409) throw err;
  }
  progress(onProgress, 'network', name, 'done', { message: 'created' });
  return true;
}

/**
 * Connects Redis's container (created, stopped or running) to the internal network under its
 * alias, unless it is on it already. Redis's spec hash is not touched: the connection follows
 * from the pools, and a pool's change never recreates Redis.
 */
export async function connectRedisToInternal(
  docker: Dockerode,
  spec: ClusterSpec,
  redisContainerId: string,
): Promise<void> {
  const name = internalNetworkName(spec.name);
  const info = await docker.getContainer(redisContainerId).inspect();
  if (info.NetworkSettings?.Networks?.[name]) return;
  try {
    await docker.getNetwork(name).connect({
      Container: redisContainerId,
      EndpointConfig: { Aliases: [REDIS_ALIAS] },
    });
  } catch (err) {
    // Connected meanwhile (a concurrent run): the engine says it already is.
    if (!/already exists|already connected/i.test((err as Error).message ?? '')) throw err;
  }
}

/**
 * The internal network, when a pool asks for it: made if missing, and a Redis that stays (not
 * replaced by the plan) connected to it before any pool container starts. A Redis the plan
 * creates is connected between its creation and its start (reconciler.ts).
 */
export async function prepareInternalNetwork(
  options: { docker: Dockerode; spec: ClusterSpec; onProgress: ProgressSink },
  observed: ObservedCluster,
  plan: Plan,
): Promise<void> {
  const { docker, spec } = options;
  if (!usesInternalNetwork(spec) || spec.redis.external) return;
  await ensureInternalNetwork(docker, spec, options.onProgress);
  const removed = new Set(plan.redis.flatMap((a) => (a.kind === 'remove' ? [a.id] : [])));
  const staying = observed.containers.find(
    (c) => c.service === 'redis' && c.state !== 'removing' && !removed.has(c.id),
  );
  if (staying) await connectRedisToInternal(docker, spec, staying.id);
}

/**
 * Removes the internal network: every container still on it is disconnected first (Redis; a
 * pool's container is removed before this runs). No-op when there is none.
 */
export async function removeInternalNetwork(
  docker: Dockerode,
  cluster: string,
  onProgress: ProgressSink,
): Promise<boolean> {
  const id = await findInternalNetworkId(docker, cluster);
  if (!id) return false;
  const name = internalNetworkName(cluster);
  progress(onProgress, 'network', name, 'running', { message: 'removing' });
  const network = docker.getNetwork(id);
  const info = (await network.inspect()) as { Containers?: Record<string, unknown> };
  for (const container of Object.keys(info.Containers ?? {}))
    await network.disconnect({ Container: container, Force: true }).catch(ignoreMissing);
  await network.remove().catch(ignoreMissing);
  progress(onProgress, 'network', name, 'done', { message: 'removed' });
  return true;
}

function ignoreMissing(err: { statusCode?: number }): void {
  if (err.statusCode !== 404) throw err;
}
