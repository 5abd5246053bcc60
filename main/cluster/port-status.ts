/**
 * The one answer to "is this Redis port free, ours, or another program's?", which the setup
 * wizard, Troubleshoot and `up` all ask. Ours means a Redis container of this cluster publishes
 * the port and is in a state that may hold it (running, restarting, paused, or created while a
 * start finishes); another program is named when the OS tells, and the next free port after it
 * is offered.
 */
import type Dockerode from 'dockerode';
import { describePortHolder, findPortHolder } from '../util/port-holder';
import { findFreePort, isPortFree } from '../util/ports';
import { listClusterContainers, toObservedContainer } from './observe';
import { publishedPort } from './status';

/** Container states in which a Redis container may hold its published port. */
export const MAY_HOLD_PORT: ReadonlySet<string> = new Set([
  'running',
  'restarting',
  'paused',
  'created',
]);

export type PortOwner =
  /** Nothing listens on 127.0.0.1:port. */
  | 'free'
  /** This cluster's Redis container holds it. */
  | 'ours'
  /** Something else holds it. */
  | 'other'
  /** In use, and the engine could not be asked whether it is ours. */
  | 'unknown';

export interface PortStatus {
  port: number;
  owner: PortOwner;
  /** Who holds it when not free and not ours, e.g. "redis-server (pid 4242)"; null if untold. */
  holder: string | null;
  /** When not free and not ours: the first free port after it, or null if none was found. */
  nextFreePort: number | null;
  /** Id of this cluster's Redis container holding it, when ours. */
  containerId: string | null;
}

/** The first free port after `port` (the one offered instead of a taken port), or null. */
export function nextFreePort(port: number): Promise<number | null> {
  return port < 65535 ? findFreePort(port + 1) : Promise.resolve(null);
}

/** This cluster's Redis container that may hold `port`, if any. */
async function ourRedisOn(
  docker: Dockerode,
  cluster: string,
  port: number,
): Promise<string | null> {
  for (const info of await listClusterContainers(docker, cluster)) {
    const observed = toObservedContainer(info);
    if (observed?.service !== 'redis' || !MAY_HOLD_PORT.has(observed.state)) continue;
    try {
      if (publishedPort(await docker.getContainer(info.Id).inspect()) === port) return info.Id;
    } catch {
      // removed meanwhile
    }
  }
  return null;
}

/**
 * Who holds Redis's `port` on 127.0.0.1 for `cluster`. `docker` null means the engine cannot be
 * asked: a port in use is then 'unknown'.
 */
export async function redisPortStatus(
  docker: Dockerode | null,
  cluster: string,
  port: number,
): Promise<PortStatus> {
  const status = { port, holder: null, nextFreePort: null, containerId: null };
  if (await isPortFree(port)) return { ...status, owner: 'free' };
  const ours = docker ? await ourRedisOn(docker, cluster, port).catch(() => undefined) : undefined;
  if (ours) return { ...status, owner: 'ours', containerId: ours };
  const [holder, next] = await Promise.all([findPortHolder(port), nextFreePort(port)]);
  return {
    ...status,
    owner: ours === null ? 'other' : 'unknown',
    holder: describePortHolder(holder),
    nextFreePort: next,
  };
}

/** "by redis-server (pid 4242)" or "by another program". */
export function heldBy(status: Pick<PortStatus, 'holder'>): string {
  return status.holder ? `by ${status.holder}` : 'by another program';
}
