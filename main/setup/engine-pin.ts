/**
 * Choosing the container engine by hand: the address (a socket path, unix://, npipe:// or
 * tcp:// URL) is probed first and pinned in settings only when an engine answers there, so a
 * typo never leaves the app pointing at nothing. `null` unpins (back to discovery).
 */
import type { Core } from '../core';
import { pinnedCandidate } from '../engine/candidates';
import { discoverEngines } from '../engine/connect';
import type { ProbeResult } from '../engine/types';
import { GuildhallError } from '../util/errors';

export interface PinResult {
  /** What the probe found at the address (null when unpinning). */
  probe: ProbeResult | null;
  /** The pinned address now stored in settings (null = discover). */
  pinned: string | null;
}

export async function pinEngine(
  core: Core,
  address: string | null,
  options: { env?: NodeJS.ProcessEnv } = {},
): Promise<PinResult> {
  if (address === null) {
    await core.settings.update((s) => ({ ...s, engine: { ...s.engine, pinned: null } }));
    return { probe: null, pinned: null };
  }
  const value = address.trim();
  const endpoint = pinnedCandidate(value);
  if (endpoint.transport === 'unsupported') {
    throw new GuildhallError('invalid-input', endpoint.problem, endpoint.hint);
  }
  const [probe] = await discoverEngines({
    candidates: [endpoint],
    ...(options.env ? { env: options.env } : {}),
  });
  if (!probe) throw new GuildhallError('internal', 'The engine address could not be probed.');
  if (!probe.ok) {
    const { pinned } = (await core.settings.load()).settings.engine;
    return { probe, pinned };
  }
  const saved = await core.settings.update((s) => ({
    ...s,
    engine: { ...s.engine, pinned: value },
  }));
  return { probe, pinned: saved.engine.pinned };
}
