/**
 * Is a Redis port usable for this cluster? The wizard's view of the one answer in
 * cluster/port-status.ts: free, or already ours (this cluster's Redis holds it), or taken by
 * another program — named when the OS tells — and then the next free port after it is offered.
 */
import { redisPortStatus } from '../cluster/port-status';
import type { Core } from '../core';

export interface PortCheck {
  port: number;
  /** Nothing listens on 127.0.0.1:port. */
  free: boolean;
  /** This cluster's Redis container holds the port (so it is "taken" by us). */
  ours: boolean;
  /** When neither free nor ours: the first free port after it, or null if none was found. */
  suggestion: number | null;
  /** When neither free nor ours: the program holding it, e.g. "redis-server (pid 4242)". */
  holder: string | null;
}

/** `cluster` is the name the port is meant for (default: the configured cluster). */
export async function checkRedisPort(
  core: Core,
  port: number,
  cluster?: string,
): Promise<PortCheck> {
  const name = cluster ?? (await core.cluster.spec()).spec.name;
  const containers = await core.cluster.containers().catch(
    () => null, // no engine: nothing of ours can listen
  );
  const status = containers
    ? await containers.redisPortStatus(port, name)
    : await redisPortStatus(null, name, port);
  return {
    port,
    free: status.owner === 'free',
    ours: status.owner === 'ours',
    suggestion: status.nextFreePort,
    holder: status.holder,
  };
}
