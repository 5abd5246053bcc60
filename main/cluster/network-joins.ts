/**
 * Follows the engine's events for containers joining the cluster's network. Setting up a
 * container's network endpoint is the first stage of its start and Docker does it for one
 * container at a time, in no particular order when several starts arrive together. `up` lets
 * Redis through that stage before it asks for the workers' starts, so Redis runs first and the
 * workers connect as they boot, instead of Redis being a random one of N (faster until ready:
 * tests/bench/cluster-up.mjs, figures in tests/bench/REPORT.md).
 */
import type Dockerode from 'dockerode';
import { followJsonLines } from '../util/json-lines';

export interface NetworkJoins {
  /**
   * Resolves true once `containerId` has joined the network; false `capMs` after the call when
   * the engine reports nothing, or when the watch closes.
   */
  joined(containerId: string, capMs: number): Promise<boolean>;
  /** Whether events are being followed (false: `joined` resolves false at once). */
  readonly following: boolean;
  close(): void;
}

interface NetworkEvent {
  Action?: string;
  Actor?: { Attributes?: Record<string, string> };
}

/**
 * How long opening the event stream may take. Some engines send no response until the first
 * event; such a watch follows nothing rather than hold up Redis's start.
 */
const OPEN_WAIT_MS = 200;

/** Starts following; resolves once the engine streams events, or with a watch that follows nothing. */
export async function watchNetworkJoins(docker: Dockerode, network: string): Promise<NetworkJoins> {
  const seen = new Set<string>();
  const waiting = new Map<string, (joined: boolean) => void>();
  let following = false;
  const release = () => {
    following = false;
    for (const resolve of waiting.values()) resolve(false);
    waiting.clear();
  };
  const abort = new AbortController();
  let stopFollowing = () => abort.abort();
  try {
    const opening = docker.getEvents({
      // From a second back: the engine may answer before it has subscribed, and a join in
      // between would be missed. The containers watched for are new, so older events never match.
      since: Math.floor(Date.now() / 1000) - 1,
      filters: { type: ['network'], event: ['connect'], network: [network] },
      abortSignal: abort.signal,
    } as Dockerode.GetEventsOptions) as Promise<NodeJS.ReadableStream & { destroy?: () => void }>;
    opening.catch(() => {}); // a late failure after giving up on it
    let timer: NodeJS.Timeout | undefined;
    const stream = await Promise.race([
      opening,
      new Promise<null>((resolve) => (timer = setTimeout(() => resolve(null), OPEN_WAIT_MS))),
    ]).finally(() => clearTimeout(timer));
    if (stream === null) {
      abort.abort();
    } else {
      following = true;
      const stopJson = followJsonLines(stream, {
        onValue: (value) => {
          const event = value as NetworkEvent;
          const container = event.Actor?.Attributes?.container;
          if (event.Action !== 'connect' || !container) return;
          seen.add(container);
          waiting.get(container)?.(true);
        },
        onClose: release,
      });
      stopFollowing = () => {
        stopJson();
        stream.destroy?.();
        abort.abort();
      };
    }
  } catch {
    // no events from this engine: nobody waits
  }
  return {
    joined(containerId, capMs) {
      if (seen.has(containerId)) return Promise.resolve(true);
      if (!following) return Promise.resolve(false);
      return new Promise<boolean>((resolve) => {
        const timer = setTimeout(() => done(false), capMs);
        function done(joined: boolean) {
          clearTimeout(timer);
          waiting.delete(containerId);
          resolve(joined);
        }
        waiting.set(containerId, done);
      });
    },
    get following() {
      return following;
    },
    close() {
      stopFollowing();
      release();
    },
  };
}
