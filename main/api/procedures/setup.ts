/**
 * setup.*: what the first-launch wizard needs besides cluster.up — host resources and a
 * recommended size, a Redis port check, pinning an engine by hand, the smoke test, the
 * connection URL for the user's own clients, and marking setup as done.
 */
import { MASKED_PASSWORD, REDIS_HOST, redisConnectionUrl } from '../../cluster/connection-url';
import { externalClientUrl, parseExternalRedisUrl } from '../../cluster/redis-connection';
import type { EngineEndpoint, ProbeResult } from '../../engine/types';
import { pinEngine } from '../../setup/engine-pin';
import { hostResources } from '../../setup/host-resources';
import { checkRedisPort } from '../../setup/port-check';
import { completeSetup } from '../../setup/setup-state';
import { runSmokeTest } from '../../setup/smoke-test';
import { os } from './base';

/** What the UI may see of an endpoint (as engine.discover sends it): no TLS file paths. */
function publicEndpoint(endpoint: EngineEndpoint) {
  const { id, label, source, flavor, transport } = endpoint;
  return { id, label, source, flavor, transport };
}

function publicProbe(result: ProbeResult) {
  if (result.ok) {
    const { version, apiVersion, os: system, arch, engineName } = result;
    const endpoint = publicEndpoint(result.endpoint);
    return { ok: true as const, endpoint, version, apiVersion, os: system, arch, engineName };
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

export const setupProcedures = {
  host: os.setup.host.handler(async ({ context }) => hostResources(context.services.core)),

  checkPort: os.setup.checkPort.handler(async ({ input, context }) =>
    checkRedisPort(context.services.core, input.port, input.cluster),
  ),

  pinEngine: os.setup.pinEngine.handler(async ({ input, context }) => {
    const result = await pinEngine(context.services.core, input.address);
    return { probe: result.probe && publicProbe(result.probe), pinned: result.pinned };
  }),

  smokeTest: os.setup.smokeTest.handler(async ({ input, context }) => {
    const { services } = context;
    const { spec } = await services.core.cluster.spec();
    return runSmokeTest(await services.queues(), {
      workerQueues: spec.workers.queues,
      ...(input?.timeoutMs ? { timeoutMs: input.timeoutMs } : {}),
    });
  }),

  connection: os.setup.connection.handler(async ({ input, context }) => {
    const { core } = context.services;
    const { spec } = await core.cluster.spec();
    const external = spec.redis.external;
    if (external) {
      // The external Redis (redis-connection.ts): its address, the password only when asked.
      const { host, port } = parseExternalRedisUrl(external.url);
      const url = input.reveal
        ? await core.cluster.connectionUrl()
        : externalClientUrl(external, external.passwordSecret ? MASKED_PASSWORD : null);
      return { url, host, port, revealed: input.reveal };
    }
    const host = REDIS_HOST;
    const port = spec.redis.port;
    if (!input.reveal) {
      return { url: redisConnectionUrl(port, null), host, port, revealed: false };
    }
    return { url: await core.cluster.connectionUrl(), host, port, revealed: true };
  }),

  complete: os.setup.complete.handler(async ({ context }) => {
    await completeSetup(context.services.core);
    return { setupCompleted: true };
  }),
};
