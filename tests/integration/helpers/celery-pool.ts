/**
 * A Celery pool for the tests, on a real Guildhall cluster: one replica of a custom pool of the
 * cluster's spec (its image and command: the example Celery image of
 * scripts/build-celery-image.sh), on the cluster's network with exactly what Guildhall gives a
 * custom pool: GUILDHALL_REDIS_HOST, GUILDHALL_REDIS_PORT and GUILDHALL_REDIS_URL_FILE, a
 * read-only file holding redis://default:PASSWORD@redis:6379/0. Until the cluster runs custom
 * pools itself these containers are started by hand (`docker run`, no Guildhall labels); the
 * tests reach them only through CeleryPool (start, stop, logs, exec), so running the pool the
 * cluster's way changes this file alone. Also the host's Celery client: Debian's /usr/bin/python3
 * with python3-celery (never a pyenv python3 on PATH), running tests/fixtures/celery/client.py.
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { networkName } from '../../../main/cluster/naming';
import { REDIS_ALIAS } from '../../../main/shared/worker-contract';
import { repoRoot, type TestCluster } from './test-cluster';

export const CELERY_IMAGE =
  process.env.GUILDHALL_CELERY_IMAGE ?? 'guildhall-offline/celery:bookworm';
/** Debian's Python, with Debian's python3-celery and python3-redis (scripts/setup-test-host.sh). */
export const HOST_PYTHON = '/usr/bin/python3';
const CLIENT = path.join(repoRoot, 'tests', 'fixtures', 'celery', 'client.py');
/** Where the URL file sits inside the container. */
const URL_FILE_IN_CONTAINER = '/run/guildhall/redis-url';

function docker(...args: string[]): string {
  return execFileSync('docker', args, {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    timeout: 120_000,
  }).trim();
}

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
 * One replica of the custom pool `pool` of the cluster's spec (its image and command), on the
 * cluster's network with the URL file mounted, as the cluster will run it.
 */
export async function startCeleryPool(cluster: TestCluster, pool: string): Promise<CeleryPool> {
  const { spec } = await cluster.core.cluster.spec();
  const poolSpec = spec.pools[pool];
  if (!poolSpec?.image || !poolSpec.command)
    throw new Error(`pool ${pool} of cluster ${cluster.name} has no image and command`);
  const { image, command } = poolSpec;
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), `${cluster.name}-${pool}-`));
  const urlFile = path.join(dir, 'redis-url');
  const password = await cluster.core.cluster.password(cluster.name);
  await fs.writeFile(
    urlFile,
    `redis://default:${encodeURIComponent(password)}@${REDIS_ALIAS}:6379/0\n`,
  );
  // The folder (0700) guards it on the host; the container's non-root user must read it.
  await fs.chmod(urlFile, 0o444);
  const container = `${cluster.name}-${pool}-byhand-1`;
  let created = false;
  const handle: CeleryPool = {
    containers: [container],
    async start() {
      if (created) {
        docker('start', container);
        return;
      }
      docker(
        'run',
        '-d',
        '--name',
        container,
        '--network',
        networkName(cluster.name),
        '--label',
        'io.guildhall.test=celery',
        '-e',
        `GUILDHALL_REDIS_HOST=${REDIS_ALIAS}`,
        '-e',
        'GUILDHALL_REDIS_PORT=6379',
        '-e',
        `GUILDHALL_REDIS_URL_FILE=${URL_FILE_IN_CONTAINER}`,
        '-v',
        `${urlFile}:${URL_FILE_IN_CONTAINER}:ro`,
        image,
        ...command,
      );
      created = true;
    },
    async stop() {
      docker('stop', '-t', '20', container);
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
      if (created) docker('rm', '-f', container);
      await fs.rm(dir, { recursive: true, force: true });
    },
  };
  await handle.start();
  return handle;
}

/** The host's Celery client: writes `url` to a private file and runs client.py with it. */
export async function celeryClient(
  url: string,
): Promise<{ run(args: string[]): Promise<unknown>; close(): Promise<void> }> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'celery-client-'));
  const urlFile = path.join(dir, 'redis-url');
  await fs.writeFile(urlFile, `${url}\n`, { mode: 0o600 });
  return {
    run: (args) => runPython([CLIENT, ...args], { GUILDHALL_REDIS_URL_FILE: urlFile }),
    close: () => fs.rm(dir, { recursive: true, force: true }),
  };
}

/** Runs Debian's python3 on `args` with `env` added; resolves with its JSON output. */
export function runPython(args: string[], env: Record<string, string>): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const { GUILDHALL_REDIS_URL: _u, GUILDHALL_REDIS_URL_FILE: _f, ...rest } = process.env;
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
