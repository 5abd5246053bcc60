/**
 * Serves a core's metrics: the exporter over the cluster of the current settings, the token
 * from the settings folder (or a given file), the endpoint on a port (preferred 9464, else the
 * next free one), and metrics-endpoint.json saying where. The app, `guildhall console` and
 * `guildhall metrics` all start it this way.
 */
import type { Core } from '../core';
import type { QueuesService } from '../queues/queues-service';
import { isGuildhallError } from '../util/errors';
import { findFreePort } from '../util/ports';
import { MetricsExporter } from './exporter';
import {
  ensureMetricsToken,
  PREFERRED_METRICS_PORT,
  publishMetricsEndpoint,
  readMetricsToken,
  startMetricsServer,
  type MetricsServer,
} from './metrics-server';

export interface ServeMetricsOptions {
  /** The QueuesService of the current cluster (the caller owns and closes it). */
  queues: () => Promise<QueuesService>;
  /** A port to use as is; when not given, the preferred port or the next free one. */
  port?: number | undefined;
  tokenFile?: string | undefined;
}

export interface ServedMetrics extends MetricsServer {
  tokenFile: string;
}

export async function serveMetrics(
  core: Core,
  options: ServeMetricsOptions,
): Promise<ServedMetrics> {
  const dir = core.settings.paths.root;
  const { token, file } = options.tokenFile
    ? { token: await readMetricsToken(options.tokenFile), file: options.tokenFile }
    : await ensureMetricsToken(dir);
  const exporter = new MetricsExporter({
    sources: {
      status: () => core.cluster.status(),
      containers: () => core.cluster.containers(),
      queues: options.queues,
    },
  });
  let server: MetricsServer;
  if (options.port !== undefined) {
    server = await startMetricsServer({ exporter, token, port: options.port });
  } else {
    // Another Guildhall may take the free port between the check and the bind: then any port.
    const port = (await findFreePort(PREFERRED_METRICS_PORT)) ?? 0;
    server = await startMetricsServer({ exporter, token, port }).catch((err: unknown) => {
      if (isGuildhallError(err) && err.code === 'port-in-use') {
        return startMetricsServer({ exporter, token, port: 0 });
      }
      throw err;
    });
  }
  await publishMetricsEndpoint(dir, server.url, file).catch(() => {});
  return {
    ...server,
    tokenFile: file,
    close: async () => {
      exporter.close();
      await server.close();
    },
  };
}
