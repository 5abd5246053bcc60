// Host-side consumers for the job benchmarks, each a group of child processes on the host:
//  - bare: a plain BullMQ Worker with a no-op processor (this file run with --bare-worker);
//  - program: Guildhall's own worker program (resources/worker/dist/worker.cjs, the entry that
//    loads worker-program.cjs; no code cache on the host) outside any container, so its cost
//    can be told apart from the container's.
// Both reach Redis at 127.0.0.1 like any host client.
import { spawn } from 'node:child_process';
import fs from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'bullmq';
import { root } from './lib.mjs';

const self = fileURLToPath(import.meta.url);
const workerProgram = path.join(root, 'resources', 'worker', 'dist', 'worker.cjs');

export function connectionFromUrl(url) {
  const u = new URL(url);
  const password = decodeURIComponent(u.password);
  return { host: u.hostname, port: Number(u.port), password, maxRetriesPerRequest: null };
}

if (process.argv[2] === '--bare-worker') {
  const worker = new Worker(process.env.QUEUE, async (job) => job.data, {
    connection: connectionFromUrl(process.env.REDIS_URL),
    concurrency: Number(process.env.CONCURRENCY),
  });
  worker.on('error', () => {});
  await worker.waitUntilReady();
  process.stdout.write('ready\n');
  process.on('SIGTERM', () => void worker.close().then(() => process.exit(0)));
}

/** Starts `count` children and resolves once each printed a line matching `ready`. */
function processGroup(count, spawnOne, ready) {
  let children = [];
  const startOne = (index) =>
    new Promise((resolve, reject) => {
      const child = spawnOne(index);
      let seen = '';
      child.stdout.on('data', (chunk) => {
        if (seen === null) return;
        seen += chunk;
        if (ready.test(seen)) {
          seen = null;
          resolve(child);
        }
      });
      child.once('exit', (code) => reject(new Error(`a benchmark consumer exited with ${code}`)));
    });
  return {
    pids: () => children.map((child) => child.pid),
    async start() {
      children = await Promise.all(Array.from({ length: count }, (_, i) => startOne(i)));
    },
    async stop() {
      const stopping = children.map(
        (child) =>
          new Promise((resolve) => {
            child.removeAllListeners('exit');
            child.once('exit', resolve);
            child.kill('SIGTERM');
          }),
      );
      await Promise.all(stopping);
      children = [];
    },
    kill: () => children.forEach((child) => child.kill('SIGKILL')),
  };
}

export function bareWorkers({ count, url, queue, concurrency }) {
  const env = { ...process.env, REDIS_URL: url, QUEUE: queue, CONCURRENCY: String(concurrency) };
  return processGroup(
    count,
    () =>
      spawn(process.execPath, [self, '--bare-worker'], {
        env,
        stdio: ['ignore', 'pipe', 'inherit'],
      }),
    /^ready$/m,
  );
}

/** Guildhall's worker program on the host; the password goes in a file, as the core does it. */
export async function hostWorkerPrograms({ count, url, cluster, concurrency, workDir }) {
  const { hostname, port, password } = new URL(url);
  const passwordFile = path.join(workDir, 'redis-password');
  await fs.writeFile(passwordFile, decodeURIComponent(password), { mode: 0o600 });
  const envFor = (index) => ({
    PATH: process.env.PATH,
    GUILDHALL_CLUSTER: cluster,
    GUILDHALL_WORKER_NAME: `${cluster}-host-${index + 1}`,
    GUILDHALL_REDIS_HOST: hostname,
    GUILDHALL_REDIS_PORT: port,
    GUILDHALL_REDIS_PASSWORD_FILE: passwordFile,
    GUILDHALL_CONCURRENCY: String(concurrency),
  });
  return processGroup(
    count,
    (index) =>
      spawn(process.execPath, [workerProgram], {
        env: envFor(index),
        stdio: ['ignore', 'pipe', 'inherit'],
      }),
    / ready: waiting for jobs/,
  );
}
