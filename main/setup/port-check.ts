/**
 * Is a Redis port usable for this cluster? Free, or already ours (this cluster's Redis publishes
 * it), or taken by another program — then the next free port after it is offered.
 */
import { containerName } from '../cluster/naming';
import { publishedPort } from '../cluster/status';
import type { Core } from '../core';
import { findFreePort, isPortFree } from '../util/ports';

export interface PortCheck {
  port: number;
  /** Nothing listens on 127.0.0.1:port. */
  free: boolean;
  /** This cluster's Redis container publishes the port (so it is "taken" by us). */
  ours: boolean;
  /** When neither free nor ours: the first free port after it, or null if none was found. */
  suggestion: number | null;
}

/** The port this cluster's Redis container publishes on the host, or null. */
async function ourRedisPort(core: Core, cluster?: string): Promise<number | null> {
  try {
    const name = cluster ?? (await core.cluster.spec()).spec.name;
    const containers = await core.cluster.containers();
    const info = await containers.inspect(containerName(name, 'redis', 1));
    return info.State.Running ? publishedPort(info) : null;
  } catch {
    return null; // no engine or no container: nothing of ours listens
  }
}

/** `cluster` is the name the port is meant for (default: the configured cluster). */
export async function checkRedisPort(
  core: Core,
  port: number,
  cluster?: string,
): Promise<PortCheck> {
  if (await isPortFree(port)) return { port, free: true, ours: false, suggestion: null };
  if ((await ourRedisPort(core, cluster)) === port) {
    return { port, free: false, ours: true, suggestion: null };
  }
  const suggestion = port < 65535 ? await findFreePort(port + 1) : null;
  return { port, free: false, ours: false, suggestion };
}
