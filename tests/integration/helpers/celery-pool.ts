/**
 * A Celery pool for the tests, on a real Guildhall cluster: one replica of a custom pool of the
 * cluster's spec (its image and command: the example Celery image of
 * scripts/build-celery-image.sh), run by the cluster with what Guildhall gives every custom
 * pool: GUILDHALL_REDIS_HOST, GUILDHALL_REDIS_PORT and GUILDHALL_REDIS_URL_FILE, a read-only file
 * holding redis://default:PASSWORD@redis:6379/0. Also the host's Celery client: Debian's
 * /usr/bin/python3 with python3-celery (never a pyenv python3 on PATH), running
 * tests/fixtures/celery/client.py.
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { repoRoot, type TestCluster } from './test-cluster';

export const CELERY_IMAGE =
  process.env.GUILDHALL_CELERY_IMAGE ?? 'guildhall-offline/celery:bookworm';
/** Debian's Python, with Debian's python3-celery and python3-redis (scripts/setup-test-host.sh). */
export const HOST_PYTHON = '/usr/bin/python3';
const CLIENT = path.join(repoRoot, 'tests', 'fixtures', 'celery', 'client.py');

/** Builds the Celery image when it is missing or its recipe changed (cached otherwise). */
export function buildCeleryImage(): void {
  execFileSync('bash', [path.join(repoRoot, 'scripts', 'build-celery-image.sh')], {
    stdio: 'inherit',
    env: process.env,
  });
}

export interface CeleryPool {
  /** Container names (one per replica). */
  readonly containers: string[];
  /** Starts the pool's worker(s), creating them on first start. */
  start(): Promise<void>;
  /** Stops the worker(s): tasks sent meanwhile wait in Redis. */
  stop(): Promise<void>;
  logs(): string;
  /** Runs a shell command in the (first) container, as a CMD-SHELL healthcheck does. */
  exec(script: string): { code: number | null; output: string };
  remove(): Promise<void>;
}

/**
 * The custom pool `pool` of the cluster's spec, run by the cluster itself: scaled to one replica
 * to start, to 0 to stop (`guildhall scale POOL N` does the same), so its container gets what
 * Guildhall gives every custom pool.
 */
export async function startCeleryPool(cluster: TestCluster, pool: string): Promise<CeleryPool> {
  const { spec } = await cluster.core.cluster.spec();
  const poolSpec = spec.pools[pool];
  if (!poolSpec?.image || !poolSpec.command)
    throw new Error(`pool ${pool} of cluster ${cluster.name} has no image and command`);
  const container = `${cluster.name}-${pool}-1`;
  const scale = (replicas: number) => cluster.core.cluster.scale(replicas, { pool });
  const handle: CeleryPool = {
    containers: [container],
    async start() {
      await scale(1);
    },
    async stop() {
      await scale(0);
    },
    /** What the worker wrote, stdout and stderr (Celery logs to stderr). */
    logs() {
      const result = spawnSync('docker', ['logs', container], { encoding: 'utf8' });
      return `${result.stdout}${result.stderr}`;
    },
    exec(script) {
      const result = spawnSync('docker', ['exec', container, 'sh', '-c', script], {
        encoding: 'utf8',
        timeout: 60_000,
      });
      return { code: result.status, output: `${result.stdout}${result.stderr}` };
    },
    async remove() {
      // The cluster's cleanup removes the pool's containers with the rest.
    },
  };
  await handle.start();
  return handle;
}

/**
 * The host's Celery client: writes `url` to a private file and runs client.py with it (and, for
 * a rediss:// URL, `caFile` as GUILDHALL_REDIS_CA_FILE).
 */
export async function celeryClient(
  url: string,
  caFile: string | null = null,
): Promise<{ run(args: string[]): Promise<unknown>; close(): Promise<void> }> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'celery-client-'));
  const urlFile = path.join(dir, 'redis-url');
  await fs.writeFile(urlFile, `${url}\n`, { mode: 0o600 });
  const env = {
    GUILDHALL_REDIS_URL_FILE: urlFile,
    ...(caFile ? { GUILDHALL_REDIS_CA_FILE: caFile } : {}),
  };
  return {
    run: (args) => runPython([CLIENT, ...args], env),
    close: () => fs.rm(dir, { recursive: true, force: true }),
  };
}

/** Runs Debian's python3 on `args` with `env` added; resolves with its JSON output. */
export function runPython(args: string[], env: Record<string, string>): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const {
      GUILDHALL_REDIS_URL: _u,
      GUILDHALL_REDIS_URL_FILE: _f,
      GUILDHALL_REDIS_CA_FILE: _c,
      ...rest
    } = process.env;
    const child = spawn(HOST_PYTHON, args, {
      env: { ...rest, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), 150_000);
    child.on('close', (code) => {
      clearTimeout(timer);
      if (code !== 0) {
        reject(new Error(`${HOST_PYTHON} ${args.join(' ')} exited ${code}:\n${stderr}`));
        return;
      }
      try {
        resolve(JSON.parse(stdout.trim().split('\n').pop() ?? 'null'));
      } catch {
        reject(new Error(`no JSON from ${HOST_PYTHON} ${args.join(' ')}:\n${stdout}\n${stderr}`));
      }
    });
  });
}
