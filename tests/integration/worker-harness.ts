/**
 * Test harness for the worker program: a throwaway password-protected Redis container, the
 * worker bundle run as a child process on the host, and BullMQ clients to drive it. Everything
 * it creates is prefixed `ghwtest-` and removed by the cleanup functions.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Queue, QueueEvents, type Job } from 'bullmq';
import { Redis } from 'ioredis';
import { WORKER_ENV } from '../../main/shared/worker-contract';

export const repoRoot = path.resolve(import.meta.dirname, '..', '..');
export const workerContextDir = path.join(repoRoot, 'resources', 'worker');
export const bundlePath = path.join(workerContextDir, 'dist', 'worker.cjs');
export const redisImage = process.env.GUILDHALL_REDIS_IMAGE ?? 'guildhall-offline/redis:bookworm';
export const TEST_LABEL = 'io.guildhall.test=worker';

export function uniqueName(what: string): string {
  return `ghwtest-${what}-${randomBytes(3).toString('hex')}`;
}

/** Rebuilds the bundle so the tests exercise the current sources. */
export function buildWorkerBundle(): void {
  execFileSync(process.execPath, [path.join(repoRoot, 'scripts', 'build-worker.mjs')], {
    stdio: 'pipe',
  });
}

export function docker(args: string[], timeout = 120_000): string {
  return execFileSync('docker', args, { encoding: 'utf8', stdio: 'pipe', timeout }).trim();
}

export interface TestRedis {
  host: string;
  port: number;
  password: string;
  /** A file holding the password, as the core writes it for a worker. */
  passwordFile: string;
  connection: { host: string; port: number; password: string };
  client(): Redis;
  stop(): Promise<void>;
}

/** Runs a throwaway password-protected Redis container, on `hostPort` or any free port. */
export function runRedisContainer(name: string, password: string, hostPort?: number): void {
  docker([
    'run',
    '-d',
    '--name',
    name,
    '--label',
    TEST_LABEL,
    '-p',
    `127.0.0.1:${hostPort ?? ''}:6379`,
    redisImage,
    'redis-server',
    '--requirepass',
    password,
    '--save',
    '',
    '--appendonly',
    'no',
  ]);
}

export async function startTestRedis(): Promise<TestRedis> {
  const name = uniqueName('redis');
  const password = randomBytes(18).toString('hex');
  runRedisContainer(name, password);
  const mapping = docker(['port', name, '6379/tcp']).split('\n')[0] ?? '';
  const port = Number(mapping.slice(mapping.lastIndexOf(':') + 1));
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ghwtest-secret-'));
  const passwordFile = path.join(dir, 'redis-password');
  fs.writeFileSync(passwordFile, `${password}\n`, { mode: 0o600 });
  const connection = { host: '127.0.0.1', port, password };
  const clients: Redis[] = [];
  const client = () => {
    const redis = new Redis({ ...connection, maxRetriesPerRequest: null });
    clients.push(redis);
    return redis;
  };

  const probe = new Redis({ ...connection, lazyConnect: true, retryStrategy: () => null });
  probe.on('error', () => undefined);
  const deadline = Date.now() + 30_000;
  for (;;) {
    try {
      await probe.connect();
      if ((await probe.ping()) === 'PONG') break;
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
  probe.disconnect();

  return {
    host: '127.0.0.1',
    port,
    password,
    passwordFile,
    connection,
    client,
    async stop() {
      for (const redis of clients) redis.disconnect();
      docker(['rm', '-f', '-v', name]);
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface WorkerOptions {
  name?: string;
  cluster?: string;
  queues?: string;
  concurrency?: number;
  processorsDir?: string;
  shutdownGraceMs?: number;
  /** Overrides (undefined removes a variable). */
  env?: Record<string, string | undefined>;
  waitUntilReady?: boolean;
}

export interface RunningWorker {
  name: string;
  cluster: string;
  child: ChildProcess;
  pid: number;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  output(): string;
  waitForOutput(pattern: RegExp, timeoutMs?: number): Promise<void>;
}

const running = new Set<ChildProcess>();

export function workerEnv(redis: TestRedis, options: WorkerOptions = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: os.tmpdir(),
    [WORKER_ENV.cluster]: options.cluster ?? 'ghwtest',
    // Not `…-worker-<n>`: a name ending in a number would wait for its predecessor on reload.
    [WORKER_ENV.workerName]: options.name ?? uniqueName('wkr'),
    [WORKER_ENV.redisHost]: redis.host,
    [WORKER_ENV.redisPort]: String(redis.port),
    [WORKER_ENV.redisPasswordFile]: redis.passwordFile,
    [WORKER_ENV.queues]: options.queues ?? '',
    [WORKER_ENV.concurrency]: String(options.concurrency ?? 2),
    [WORKER_ENV.shutdownGraceMs]: String(options.shutdownGraceMs ?? 30_000),
  };
  if (options.processorsDir !== undefined) env[WORKER_ENV.processorsDir] = options.processorsDir;
  for (const [key, value] of Object.entries(options.env ?? {})) {
    if (value === undefined) delete env[key];
    else env[key] = value;
  }
  return env;
}

/** Runs `node worker.cjs [args]` with `env` and collects its output. */
export function spawnBundle(env: NodeJS.ProcessEnv, args: string[] = []): RunningWorker {
  const child = spawn(process.execPath, [bundlePath, ...args], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(child);
  let output = '';
  const waiters = new Set<() => void>();
  const onData = (chunk: Buffer) => {
    output += chunk.toString('utf8');
    for (const waiter of waiters) waiter();
  };
  child.stdout?.on('data', onData);
  child.stderr?.on('data', onData);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.on('close', (code, signal) => {
      running.delete(child);
      resolve({ code, signal });
      for (const waiter of waiters) waiter();
    });
  });
  let closed = false;
  void exited.then(() => {
    closed = true;
  });
  return {
    name: env[WORKER_ENV.workerName] ?? '',
    cluster: env[WORKER_ENV.cluster] ?? '',
    child,
    pid: child.pid ?? -1,
    exited,
    output: () => output,
    waitForOutput(pattern, timeoutMs = 20_000) {
      return new Promise<void>((resolve, reject) => {
        const check = () => {
          if (pattern.test(output)) {
            finish();
            resolve();
          } else if (closed) {
            finish();
            reject(new Error(`worker exited before printing ${pattern}; output:\n${output}`));
          }
        };
        const timer = setTimeout(() => {
          finish();
          reject(
            new Error(`worker did not print ${pattern} in ${timeoutMs} ms; output:\n${output}`),
          );
        }, timeoutMs);
        const finish = () => {
          clearTimeout(timer);
          waiters.delete(check);
        };
        waiters.add(check);
        check();
      });
    },
  };
}

export async function startWorker(
  redis: TestRedis,
  options: WorkerOptions = {},
): Promise<RunningWorker> {
  const worker = spawnBundle(workerEnv(redis, options));
  if (options.waitUntilReady ?? true) await worker.waitForOutput(/ready: waiting for jobs/);
  return worker;
}

/** SIGKILLs every worker process a test left running. */
export function killRunningWorkers(): void {
  for (const child of running) child.kill('SIGKILL');
  running.clear();
}

export interface QueueClient {
  queue: Queue;
  events: QueueEvents;
  /** Adds a job and waits for its outcome: the result, or a rejection with the failed reason. */
  run(data: unknown, opts?: Parameters<Queue['add']>[2], timeoutMs?: number): Promise<unknown>;
  add(data: unknown, opts?: Parameters<Queue['add']>[2]): Promise<Job>;
  finished(job: Job, timeoutMs?: number): Promise<unknown>;
  /**
   * Waits until every job of a batch finished (completed or failed), with two listeners however
   * many jobs: Job.waitUntilFinished adds a 'closing' listener to the Queue per job, and more than
   * ten at once make Node warn of a leak (MaxListenersExceededWarning … [Queue]).
   */
  allFinished(jobs: readonly Job[], timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

export async function queueClient(redis: TestRedis, name: string): Promise<QueueClient> {
  const queue = new Queue(name, { connection: redis.connection });
  const events = new QueueEvents(name, { connection: redis.connection });
  await events.waitUntilReady();
  const finished = (job: Job, timeoutMs = 20_000) => job.waitUntilFinished(events, timeoutMs);
  const add = (data: unknown, opts?: Parameters<Queue['add']>[2]) => queue.add('test', data, opts);
  const allFinished = async (jobs: readonly Job[], timeoutMs = 60_000): Promise<void> => {
    const pending = new Set(jobs.map((job) => job.id!));
    const settle = ({ jobId }: { jobId: string }) => pending.delete(jobId);
    events.on('completed', settle);
    events.on('failed', settle);
    try {
      // Jobs that finished before the listeners were attached.
      const states = await Promise.all([...pending].map((id) => queue.getJobState(id)));
      [...pending].forEach((id, i) => {
        if (states[i] === 'completed' || states[i] === 'failed') pending.delete(id);
      });
      await waitFor(
        `${jobs.length} jobs to finish`,
        () => pending.size === 0 || undefined,
        timeoutMs,
      );
    } finally {
      events.off('completed', settle);
      events.off('failed', settle);
    }
  };
  return {
    queue,
    events,
    add,
    finished,
    allFinished,
    async run(data, opts, timeoutMs) {
      return finished(await add(data, opts), timeoutMs);
    },
    async close() {
      await events.close();
      await queue.close();
    },
  };
}

export async function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined> | T | undefined,
  timeoutMs = 15_000,
  intervalMs = 100,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline)
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

/** True when `pid` no longer runs (gone, or a zombie waiting to be reaped). */
export function isProcessGone(pid: number): boolean {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
    return state === 'Z' || state === 'X';
  } catch {
    return true;
  }
}
