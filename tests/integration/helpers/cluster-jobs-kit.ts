/**
 * Tools for driving jobs through a real test cluster: a producer with QueueEvents that counts
 * every completion per job id, heartbeat reads through the core's own reader, a throwaway HTTP
 * server container on the cluster network, and an outside BullMQ client in its own process.
 */
import { execFile, execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { Queue, QueueEvents, type Job } from 'bullmq';
import { Redis } from 'ioredis';
import type { Heartbeat } from '../../../main/shared/worker-contract';
import type { AddJobInput, JobDetail, QueuesService } from '../../../main/queues/index';
import { readHeartbeats } from '../../../main/queues/worker-views';
import { waitFor } from './queues-fixture';
import { repoRoot } from './test-cluster';

const execFileAsync = promisify(execFile);

export interface RedisConnection {
  host: string;
  port: number;
  password: string;
}

/** Host, port and password from the URL `connectionUrl()` / `guildhall connect` gives. */
export function connectionFromUrl(url: string): RedisConnection {
  const parsed = new URL(url);
  return {
    host: parsed.hostname,
    port: Number(parsed.port),
    password: decodeURIComponent(parsed.password),
  };
}

/**
 * A producer for one queue: adds jobs and records, from QueueEvents, how often each job id
 * completed, failed or stalled. Listening starts before the first job is added.
 */
export class JobTracker {
  readonly queue: Queue;
  readonly events: QueueEvents;
  readonly completions = new Map<string, number>();
  readonly results = new Map<string, unknown>();
  readonly failures = new Map<string, string>();
  readonly stalled = new Set<string>();

  private constructor(name: string, connection: RedisConnection) {
    this.queue = new Queue(name, { connection });
    this.events = new QueueEvents(name, { connection });
    this.queue.on('error', () => {});
    this.events.on('error', () => {});
    this.events.on('completed', ({ jobId, returnvalue }) => {
      this.completions.set(jobId, (this.completions.get(jobId) ?? 0) + 1);
      this.results.set(jobId, returnvalue);
    });
    this.events.on('failed', ({ jobId, failedReason }) => this.failures.set(jobId, failedReason));
    this.events.on('stalled', ({ jobId }) => this.stalled.add(jobId));
  }

  static async open(name: string, connection: RedisConnection): Promise<JobTracker> {
    const tracker = new JobTracker(name, connection);
    await Promise.all([tracker.queue.waitUntilReady(), tracker.events.waitUntilReady()]);
    return tracker;
  }

  async add(data: unknown, name = 'job'): Promise<string> {
    const job = await this.queue.add(name, data);
    return job.id ?? '';
  }

  async addBulk(items: unknown[], name = 'job'): Promise<string[]> {
    const jobs: Job[] = await this.queue.addBulk(items.map((data) => ({ name, data })));
    return jobs.map((job) => job.id ?? '');
  }

  /**
   * Waits until every id has completed or failed (as QueueEvents reported it). On timeout the
   * error names the unfinished jobs with their state in Redis.
   */
  async settled(ids: readonly string[], timeoutMs: number): Promise<void> {
    const pending = () => ids.filter((id) => !this.completions.has(id) && !this.failures.has(id));
    try {
      await waitFor(
        () => pending().length === 0,
        timeoutMs,
        `${ids.length} jobs of queue "${this.queue.name}" to finish`,
        100,
      );
    } catch (err) {
      const left = pending().slice(0, 10);
      const states = await Promise.all(
        left.map(async (id) => {
          const job = await this.queue.getJob(id);
          return `#${id} ${await this.queue.getJobState(id)} attempts=${job?.attemptsMade ?? '?'} stalled=${job?.stalledCounter ?? '?'} by=${job?.processedBy ?? '-'}`;
        }),
      );
      throw new Error(
        `${(err as Error).message}; ${pending().length} unfinished, e.g. ${states.join(', ')}`,
        { cause: err },
      );
    }
  }

  async close(): Promise<void> {
    await Promise.allSettled([this.events.close(), this.queue.close()]);
  }
}

/** Adds a job through the queues core and reads it back through it once it has finished. */
export async function runJob(
  service: QueuesService,
  input: AddJobInput,
  timeoutMs = 30_000,
): Promise<JobDetail> {
  const { id } = await service.addJob(input);
  let detail: JobDetail | undefined;
  await waitFor(
    async () => {
      detail = await service.getJob(input.queue, id);
      return detail.state === 'completed' || detail.state === 'failed';
    },
    timeoutMs,
    `job ${input.queue}#${id} to finish`,
    100,
  );
  return detail!;
}

/** A plain client for reading heartbeats and other keys in assertions. */
export async function openRedis(connection: RedisConnection): Promise<Redis> {
  const redis = new Redis({ ...connection, maxRetriesPerRequest: 2, lazyConnect: true });
  redis.on('error', () => {});
  await redis.connect();
  return redis;
}

/** The live heartbeats of a cluster, read and validated by the core's own reader. */
export function heartbeats(redis: Redis, cluster: string): Promise<Map<string, Heartbeat>> {
  return readHeartbeats(redis, cluster);
}

export function workerNames(cluster: string, count: number): string[] {
  return Array.from({ length: count }, (_, i) => `${cluster}-worker-${i + 1}`);
}

export function dockerCli(args: string[], timeout = 60_000): string {
  return execFileSync('docker', args, { encoding: 'utf8', stdio: 'pipe', timeout }).trim();
}

export function removeContainerQuietly(name: string): void {
  try {
    dockerCli(['rm', '-f', '-v', name]);
  } catch {
    // already gone
  }
}

/**
 * A tiny HTTP server in a container on the cluster's network, reachable by workers as
 * http://web:8080. It answers with JSON of the request; paths under /missing answer 404.
 */
const WEB_SERVER_SOURCE = `
require('http').createServer((req, res) => {
  let body = '';
  req.on('data', (chunk) => (body += chunk));
  req.on('end', () => {
    const status = req.url.startsWith('/missing') ? 404 : 200;
    res.writeHead(status, { 'content-type': 'application/json', 'x-served-by': 'web' });
    res.end(JSON.stringify({ method: req.method, url: req.url, body }));
  });
}).listen(8080, () => console.log('listening on 8080'));
`;

export async function startWebServer(name: string, network: string): Promise<void> {
  const image = process.env.GUILDHALL_WORKER_BASE_IMAGE ?? 'guildhall-offline/node:bookworm';
  dockerCli([
    'run',
    '-d',
    '--init',
    '--name',
    name,
    '--label',
    'io.guildhall.test=cluster-jobs',
    '--network',
    network,
    '--network-alias',
    'web',
    image,
    'node',
    '-e',
    WEB_SERVER_SOURCE,
  ]);
  await waitFor(
    async () => (await execFileAsync('docker', ['logs', name])).stdout.includes('listening'),
    20_000,
    `the test web server ${name} to listen`,
    100,
  );
}

/**
 * An outside program using the official `bullmq` package against the cluster's Redis URL: adds
 * `count` echo jobs, waits for each with QueueEvents, prints the results as one JSON line.
 */
const EXTERNAL_CLIENT_SOURCE = `
import { createRequire } from 'node:module';
const require = createRequire(import.meta.url);
const { Queue, QueueEvents } = require('bullmq');

const url = new URL(process.env.REDIS_URL);
const connection = {
  host: url.hostname,
  port: Number(url.port),
  password: decodeURIComponent(url.password),
  maxRetriesPerRequest: null,
};
const count = Number(process.env.JOB_COUNT);
const queue = new Queue('echo', { connection });
const events = new QueueEvents('echo', { connection });
await events.waitUntilReady();
const jobs = await queue.addBulk(
  Array.from({ length: count }, (_, n) => ({ name: 'external', data: { n, from: 'outside' } })),
);
// Job.waitUntilFinished adds a listener to the Queue per job: room for all of them at once.
queue.setMaxListeners(count + 10);
const results = await Promise.all(jobs.map((job) => job.waitUntilFinished(events, 60_000)));
process.stdout.write(JSON.stringify(results) + '\\n');
await Promise.all([events.close(), queue.close()]);
`;

export interface ExternalRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

export async function runExternalClient(redisUrl: string, count: number): Promise<ExternalRun> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'ghtest-external-'));
  try {
    const script = path.join(dir, 'client.mjs');
    await fs.writeFile(script, EXTERNAL_CLIENT_SOURCE);
    return await new Promise<ExternalRun>((resolve, reject) => {
      const child = spawn(process.execPath, [script], {
        cwd: dir,
        // Only what a user's shell would give it, plus where to find the installed packages.
        env: {
          PATH: process.env.PATH ?? '/usr/bin:/bin',
          HOME: os.homedir(),
          NODE_PATH: path.join(repoRoot, 'node_modules'),
          REDIS_URL: redisUrl,
          JOB_COUNT: String(count),
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      const timer = setTimeout(() => child.kill('SIGKILL'), 90_000);
      child.on('error', reject);
      child.on('close', (code) => {
        clearTimeout(timer);
        resolve({ code, stdout, stderr });
      });
    });
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
}

/** A folder of user processors the worker (uid 1000) can read through its read-only mount. */
export async function makeProcessorsDir(): Promise<string> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'ghtest-processors-'));
  await fs.chmod(dir, 0o755);
  return dir;
}

export async function writeProcessor(dir: string, file: string, source: string): Promise<void> {
  const target = path.join(dir, file);
  await fs.writeFile(target, source);
  await fs.chmod(target, 0o644);
}

export const sum = (values: readonly number[]): number => values.reduce((a, b) => a + b, 0);
