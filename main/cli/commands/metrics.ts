/**
 * `guildhall metrics [--port P] [--token-file F]`: serves Prometheus metrics of the cluster on
 * 127.0.0.1 for headless hosts (no console needed), until Ctrl+C. The bearer token is the one
 * in the settings folder (metrics-token), or the one in --token-file.
 */
import { CurrentQueues } from '../../queues/current-queues';
import { serveMetrics } from '../../metrics/serve';
import { EXIT } from '../exit-codes';
import type { CommandRunner } from '../index';
import { parseCount } from './cluster';

export const runMetrics: CommandRunner = async (core, io, _positionals, flags) => {
  const port = parseCount('--port', flags.port as string | undefined, 0, 65535);
  const access = new CurrentQueues(core);
  const served = await serveMetrics(core, {
    queues: () => access.get(),
    port,
    tokenFile: flags['token-file'] as string | undefined,
  }).catch(async (err: unknown) => {
    await access.close();
    throw err;
  });
  io.stdout.write(
    `Guildhall metrics: ${served.url}\nBearer token in ${served.tokenFile} (Prometheus: authorization.credentials_file). Press Ctrl+C to stop.\n`,
  );
  await new Promise<void>((resolve) => io.onInterrupt(resolve));
  await served.close();
  await access.close();
  io.stdout.write('Metrics stopped.\n');
  return EXIT.ok;
};
