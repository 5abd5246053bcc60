/** engine.*: the engine in use, and every engine discovery can find (for the setup wizard). */
import { discoverEngines } from '../../engine/connect';
import type { EngineEndpoint, ProbeResult } from '../../engine/types';
import { os } from './base';

/** What the UI may see of an endpoint: its identity and kind, not its TLS file paths. */
function publicEndpoint(endpoint: EngineEndpoint) {
  const { id, label, source, flavor, transport } = endpoint;
  return { id, label, source, flavor, transport };
}

function publicProbe(result: ProbeResult) {
  if (result.ok) {
    const { version, apiVersion, os: system, arch, engineName } = result;
    return {
      ok: true as const,
      endpoint: publicEndpoint(result.endpoint),
      version,
      apiVersion,
      os: system,
      arch,
      engineName,
    };
  }
  const { code, reason, message, hint } = result;
  return {
    ok: false as const,
    endpoint: publicEndpoint(result.endpoint),
    code,
    reason,
    message,
    hint,
  };
}

export const engineProcedures = {
  info: os.engine.info.handler(async ({ context }) => {
    const { endpoint, info } = await context.services.core.engine();
    const { version, apiVersion, os: system, arch, engineName } = info;
    return {
      endpoint: publicEndpoint(endpoint),
      version,
      apiVersion,
      os: system,
      arch,
      engineName,
    };
  }),

  discover: os.engine.discover.handler(async ({ context }) => {
    const { settings } = await context.services.core.settings.load();
    const results = await discoverEngines({ pinned: settings.engine.pinned ?? undefined });
    return results.map(publicProbe);
  }),
};
