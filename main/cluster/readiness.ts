/** Waits until the cluster is usable: Redis healthy, and (optionally) workers heartbeating. */
import type Dockerode from 'dockerode';
import { Redis } from 'ioredis';
import { GuildhallError } from '../util/errors';
import { progress, type ProgressSink } from '../util/progress';
import { heartbeatKey } from './worker-contract';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function lastLogLines(docker: Dockerode, name: string, lines = 5): Promise<string> {
  try {
    const buffer = (await docker
      .getContainer(name)
      .logs({ stdout: true, stderr: true, tail: lines })) as Buffer;
    return demuxToText(buffer).trim();
  } catch {
    return '';
  }
}

/** The engine multiplexes stdout/stderr with 8-byte frame headers when there is no TTY. */
export function demuxToText(buffer: Buffer): string {
  let out = '';
  let offset = 0;
  while (offset + 8 <= buffer.length) {
    const type = buffer[offset];
    const size = buffer.readUInt32BE(offset + 4);
    if (type === undefined || type > 2 || offset + 8 + size > buffer.length)
      return buffer.toString('utf8');
    out += buffer.subarray(offset + 8, offset + 8 + size).toString('utf8');
    offset += 8 + size;
  }
  return offset === 0 ? buffer.toString('utf8') : out;
}

export interface RedisEndpoint {
  host: string;
  port: number;
  password: string;
}

export interface ReadinessOptions {
  docker: Dockerode;
  endpoint: RedisEndpoint;
  cluster: string;
  redisContainer: string;
  /** Worker container names that must have sent a heartbeat. */
  workers: string[];
  onProgress: ProgressSink;
  timeoutMs: number;
  signal?: AbortSignal;
}

/**
 * Waits until Redis answers PING with the password on its published port and every worker has
 * published a heartbeat. Checking Redis directly is faster and stricter than the engine's
 * healthcheck (whose first probe only runs after its interval). Can start while containers are
 * still being created: it keeps trying until the deadline, and fails fast if Redis exits.
 */
export async function waitClusterReady(options: ReadinessOptions): Promise<void> {
  const { docker, endpoint, cluster, onProgress, signal } = options;
  const deadline = Date.now() + options.timeoutMs;
  const pending = new Set(options.workers);
  let redisAnswered = false;
  let lastExitCheck = 0;
  progress(onProgress, 'redis', options.redisContainer, 'running', {
    message: 'waiting until it answers',
  });
  const redis = new Redis({
    ...endpoint,
    lazyConnect: true,
    connectTimeout: 1_000,
    commandTimeout: 1_000,
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
    retryStrategy: () => null,
  });
  redis.on('error', () => {});
  const stop = () => redis.disconnect();
  signal?.addEventListener('abort', stop, { once: true });
  let engineHealthy = false;
  try {
    while (Date.now() < deadline) {
      if (signal?.aborted)
        throw new GuildhallError('cancelled', 'Stopped waiting for the cluster.');
      try {
        if (redis.status !== 'ready') await redis.connect();
        if (!redisAnswered) {
          await redis.ping();
          redisAnswered = true;
          progress(onProgress, 'redis', options.redisContainer, 'running', {
            message: 'answering',
          });
        }
        if (pending.size > 0) {
          const names = [...pending];
          const values = await redis.mget(...names.map((name) => heartbeatKey(cluster, name)));
          names.forEach((name, i) => {
            if (!values[i]) return;
            pending.delete(name);
            progress(onProgress, 'worker', name, 'done', { message: 'registered' });
          });
        }
      } catch {
        redis.disconnect();
      }
      // The engine's own healthcheck must agree too, so status right after `up` says healthy;
      // its first probe runs one interval after start, while the workers are still booting.
      if (redisAnswered && !engineHealthy) {
        engineHealthy = (await redisHealth(docker, options.redisContainer)) !== 'starting';
        if (engineHealthy)
          progress(onProgress, 'redis', options.redisContainer, 'done', { message: 'healthy' });
      }
      if (redisAnswered && engineHealthy && pending.size === 0) return;
      if (Date.now() - lastExitCheck > 1_000) {
        lastExitCheck = Date.now();
        await assertRedisAlive(docker, options.redisContainer);
      }
      await sleep(50);
    }
  } finally {
    signal?.removeEventListener('abort', stop);
    redis.disconnect();
  }
  const seconds = Math.round(options.timeoutMs / 1000);
  if (!redisAnswered) {
    throw new GuildhallError(
      'timeout',
      `Redis did not answer on 127.0.0.1:${endpoint.port} within ${seconds} s.`,
      'Run `guildhall logs redis` to see why, or `guildhall doctor`.',
    );
  }
  throw new GuildhallError(
    'timeout',
    `Workers did not register within ${seconds} s: ${[...pending].join(', ')}.`,
    `Run \`guildhall logs ${[...pending][0]?.replace(/^.*-(worker-\d+)$/, '$1') ?? 'worker-1'}\` to see why, or \`guildhall doctor\`.`,
  );
}

async function redisHealth(docker: Dockerode, name: string): Promise<string> {
  try {
    return (await docker.getContainer(name).inspect()).State.Health?.Status ?? 'none';
  } catch {
    return 'starting';
  }
}

async function assertRedisAlive(docker: Dockerode, name: string): Promise<void> {
  let info: Dockerode.ContainerInspectInfo;
  try {
    info = await docker.getContainer(name).inspect();
  } catch {
    return; // not created yet
  }
  if (info.State.Running || info.State.Restarting || info.State.Status === 'created') return;
  const logs = await lastLogLines(docker, name);
  throw new GuildhallError(
    'redis-unavailable',
    `Redis stopped while starting (exit code ${info.State.ExitCode}).${logs ? ` Last log lines:\n${logs}` : ''}`,
    'Run `guildhall logs redis` for the full log, or `guildhall doctor`.',
  );
}
