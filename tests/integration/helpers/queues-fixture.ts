/**
 * A throwaway real Redis (the offline image, password + AOF on) for the queues tests, plus
 * in-process BullMQ workers and heartbeats written the way the worker program writes them.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import net from 'node:net';
import { Worker, type Job, type WorkerOptions } from 'bullmq';
import { Redis } from 'ioredis';
import {
  HEARTBEAT_TTL_MS,
  heartbeatIndexKey,
  heartbeatKey,
  LOCK_DURATION_MS,
  MAX_STALLED_COUNT,
  STALLED_INTERVAL_MS,
  type Heartbeat,
} from '../../../main/shared/worker-contract';

export interface TestRedis {
  container: string;
  host: string;
  port: number;
  password: string;
  connection: { host: string; port: number; password: string };
  /** A plain client for test assertions and setup. */
  client: Redis;
  /** Restarts the container (same port, data kept by AOF). */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

function docker(...args: string[]): string {
  return execFileSync('docker', args, {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    timeout: 60_000,
  }).trim();
}

export function uniqueName(prefix: string): string {
  return `${prefix}-${randomBytes(3).toString('hex')}`;
}

export async function startTestRedis(label: string): Promise<TestRedis> {
  const image = process.env.GUILDHALL_REDIS_IMAGE ?? 'guildhall-offline/redis:bookworm';
  const container = uniqueName(`qtest-${label}`);
  const password = randomBytes(18).toString('hex');
  // A fixed free port (not an ephemeral mapping) so the port survives a container restart.
  const port = await freePort();
  docker(
    'run',
    '-d',
    '--init',
    '--name',
    container,
    '--label',
    'io.guildhall.test=queues',
    '-p',
    `127.0.0.1:${port}:6379`,
    image,
    'redis-server',
    '--requirepass',
    password,
    '--appendonly',
    'yes',
  );
  try {
    const connection = { host: '127.0.0.1', port, password };
    const client = new Redis({ ...connection, maxRetriesPerRequest: 1, lazyConnect: true });
    client.on('error', () => {});
    await waitFor(
      async () => {
        try {
          if (client.status === 'wait' || client.status === 'end') await client.connect();
          return (await client.ping()) === 'PONG';
        } catch {
          return false;
        }
      },
      20_000,
      'Redis to answer PING',
    );
    return {
      container,
      host: connection.host,
      port,
      password,
      connection,
      client,
      async restart() {
        docker('restart', '-t', '1', container);
      },
      async stop() {
        client.disconnect();
        docker('rm', '-f', '-v', container);
      },
    };
  } catch (err) {
    docker('rm', '-f', '-v', container);
    throw err;
  }
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export async function waitFor(
  check: () => Promise<boolean> | boolean,
  timeoutMs: number,
  what: string,
  intervalMs = 100,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() > deadline)
      throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

export type Processor = (job: Job) => Promise<unknown>;

/** A real BullMQ worker with the contract's stalled settings and metrics on, as the worker program runs. */
export function startWorker(
  redis: TestRedis,
  queue: string,
  processor: Processor,
  options: Partial<WorkerOptions> = {},
): Worker {
  const worker = new Worker(queue, processor, {
    connection: { ...redis.connection, maxRetriesPerRequest: null },
    concurrency: 2,
    metrics: { maxDataPoints: 60 },
    stalledInterval: STALLED_INTERVAL_MS,
    lockDuration: LOCK_DURATION_MS,
    maxStalledCount: MAX_STALLED_COUNT,
    ...options,
  });
  worker.on('error', () => {});
  return worker;
}

export function fakeHeartbeat(name: string, overrides: Partial<Heartbeat> = {}): Heartbeat {
  const now = Date.now();
  return {
    name,
    state: 'idle',
    queues: ['echo'],
    concurrency: 2,
    activeJobs: [],
    processed: 0,
    failed: 0,
    avgDurationMs: 0,
    lastError: null,
    startedAt: now - 1_000,
    at: now,
    pid: 1,
    version: 'test',
    ...overrides,
  };
}

/** Writes a heartbeat as the worker program does: SET key JSON PX ttl, SADD name to the index. */
export async function writeHeartbeat(
  client: Redis,
  cluster: string,
  beat: Heartbeat,
  ttlMs: number = HEARTBEAT_TTL_MS,
): Promise<void> {
  await client
    .multi()
    .set(heartbeatKey(cluster, beat.name), JSON.stringify(beat), 'PX', ttlMs)
    .sadd(heartbeatIndexKey(cluster), beat.name)
    .exec();
}
