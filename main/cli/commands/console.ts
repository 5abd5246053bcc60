/**
 * `guildhall console [--port P] [--metrics-port P]`: serves the control console to a browser on
 * 127.0.0.1 and prints its URL with the access token (like Jupyter), and the Prometheus
 * metrics endpoint beside it (main/metrics). Enter on the terminal rotates the token (the old
 * URL stops working) and prints the new URL. Hosts a supervisor (main/supervisor). Runs until
 * Ctrl+C or SIGTERM.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ApiServices } from '../../api/context';
import { monitorMetricsSource } from '../../api/monitor-source';
import type { Core } from '../../core';
import { serveMetrics } from '../../metrics/serve';
import { supervisorDuties } from '../../supervisor/duties';
import { Supervisor } from '../../supervisor/supervisor';
import { findFreePort } from '../../util/ports';
import { startConsoleServer } from '../../web/console-server';
import { EXIT } from '../exit-codes';
import type { CliIO } from '../io';
import { parseCount } from './cluster';

/** Tried first when no --port is given; the next free one is used if it is taken. */
export const PREFERRED_CONSOLE_PORT = 7780;

/** The built renderer: GUILDHALL_RENDERER_DIR, else out/renderer beside the built CLI or the repo. */
export function findRendererDir(env: NodeJS.ProcessEnv = process.env): string {
  const here = path.dirname(fileURLToPath(import.meta.url));
  const candidates = [
    env.GUILDHALL_RENDERER_DIR,
    path.resolve(here, '..', 'renderer'),
    path.resolve(here, '..', '..', '..', 'out', 'renderer'),
  ].filter((dir): dir is string => Boolean(dir));
  return candidates.find((dir) => fs.existsSync(path.join(dir, 'index.html'))) ?? candidates[0]!;
}

export async function runConsole(
  core: Core,
  io: CliIO,
  _positionals: string[],
  flags: Record<string, unknown>,
): Promise<number> {
  const requested = parseCount('--port', flags.port as string | undefined, 0, 65535);
  const port = requested ?? (await findFreePort(PREFERRED_CONSOLE_PORT)) ?? 0;
  const rendererDir = findRendererDir();
  const services = new ApiServices({ core, metrics: monitorMetricsSource(core) });
  const server = await startConsoleServer({ services, rendererDir, port }).catch(async (err) => {
    await services.close();
    throw err;
  });
  const metricsPort = parseCount(
    '--metrics-port',
    flags['metrics-port'] as string | undefined,
    0,
    65535,
  );
  const metrics = await serveMetrics(core, {
    queues: () => services.queues(),
    port: metricsPort,
  }).catch(async (err) => {
    await server.close();
    await services.close();
    throw err;
  });
  if (!fs.existsSync(path.join(rendererDir, 'index.html'))) {
    io.stderr.write(
      `guildhall console: the console page is not built (no ${path.join(rendererDir, 'index.html')}); the API still answers. Run \`npm run build\`.\n`,
    );
  }
  const stopInput = io.onInputLine?.(() => {
    io.stdout.write(
      `New access token; the previous URL no longer works and open consoles were disconnected.\nGuildhall console: ${server.rotateToken().url}\n`,
    );
  });
  // The console heals the cluster too, when no other face holds its lease (supervisor.ts).
  const supervisor = new Supervisor({
    core,
    face: 'console',
    duties: supervisorDuties(core),
    log: (line) => io.stdout.write(`${line}\n`),
    onStatus: (status) => services.offerClusterStatus(status),
  });
  supervisor.start();
  io.stdout.write(
    `Guildhall console: ${server.url}\nOpen that URL in your browser (it holds the access token). Press Enter for a new token, Ctrl+C to stop.\nPrometheus metrics: ${metrics.url} (bearer token in ${metrics.tokenFile})\n`,
  );
  // SIGTERM too (a service manager): the supervisor gives its lease back on the way out.
  await new Promise<void>((resolve) => {
    io.onInterrupt(resolve);
    io.onTerminate?.(resolve);
  });
  stopInput?.();
  await supervisor.stop();
  await metrics.close();
  await server.close();
  await services.close();
  io.stdout.write('Console stopped.\n');
  return EXIT.ok;
}
