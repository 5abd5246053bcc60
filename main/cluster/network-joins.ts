/**
 * Follows the engine's events for containers joining the cluster's network. Setting up a
 * container's network endpoint is the first stage of its start and the engine does it for one
 * container at a time (about 0.1 s each on a 2-core host), in no particular order when several
 * starts arrive together. `up` lets Redis through that stage before it asks for the workers'
 * starts, so Redis runs first and the workers connect as they boot, instead of Redis being a
 * random one of five (measured in tests/bench/cluster-up.mjs: about 0.1 s less until ready).
 */
import type Dockerode from 'dockerode';
import { followJsonLines } from '../monitor/json-lines';

export interface NetworkJoins {
  /**
   * Resolves once `containerId` has joined the network, or `capMs` after the call when the engine
   * reports nothing (an engine without these events), or when the watch closes.
   */
  joined(containerId: string, capMs: number): Promise<void>;
  close(): void;
}

interface NetworkEvent {
  Action?: string;
  Actor?: { Attributes?: Record<string, string> };
}

/** Starts following; resolves once the engine streams events (or with a watch that waits for nothing). */
export async function watchNetworkJoins(docker: Dockerode, network: string): Promise<NetworkJoins> {
  const seen = new Set<string>();
  const waiting = new Map<string, () => void>();
  let closed = false;
  let stopFollowing: () => void = () => {};
  const release = () => {
    closed = true;
    for (const resolve of waiting.values()) resolve();
    waiting.clear();
  };
  try {
    const stream = (await docker.getEvents({
      filters: { type: ['network'], event: ['connect'], network: [network] },
    })) as NodeJS.ReadableStream & { destroy?: () => void };
    const stopJson = followJsonLines(stream, {
      onValue: (value) => {
        const event = value as NetworkEvent;
        const container = event.Actor?.Attributes?.container;
        if (event.Action !== 'connect' || !container) return;
        seen.add(container);
        waiting.get(container)?.();
        waiting.delete(container);
      },
      onClose: release,
    });
    stopFollowing = () => {
      stopJson();
      stream.destroy?.();
    };
  } catch {
    release(); // no events from this engine: nobody waits
  }
  return {
    joined(containerId, capMs) {
      if (closed || seen.has(containerId)) return Promise.resolve();
      return new Promise<void>((resolve) => {
        const timer = setTimeout(done, capMs);
        function done() {
          clearTimeout(timer);
          waiting.delete(containerId);
          resolve();
        }
        waiting.set(containerId, done);
      });
    },
    close() {
      stopFollowing();
      release();
    },
  };
}
