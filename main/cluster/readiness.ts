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
  // Start time of each running worker container, inspected once rather than on every poll.
  const containerStarts = new Map<string, number>();
  const assertRedisAlive = redisExitWatch(docker, options.redisContainer);
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
          for (const [i, name] of names.entries()) {
            const value = values[i];
            if (!value || !(await isCurrentHeartbeat(docker, name, value, containerStarts)))
              continue;
            pending.delete(name);
            progress(onProgress, 'worker', name, 'done', { message: 'registered' });
          }
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
        await assertRedisAlive();
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

/**
 * A heartbeat counts only if the process that wrote it started with the running container: a key
 * left by the previous instance lives on for up to its TTL and must not pass for readiness.
 */
async function isCurrentHeartbeat(
  docker: Dockerode,
  name: string,
  value: string,
  containerStarts: Map<string, number>,
): Promise<boolean> {
  let startedAt: number;
  try {
    startedAt = Number((JSON.parse(value) as { startedAt?: unknown }).startedAt);
  } catch {
    return false;
  }
  let containerStart = containerStarts.get(name);
  if (containerStart === undefined) {
    try {
      const info = await docker.getContainer(name).inspect();
      if (!info.State.Running) return false;
      containerStart = Date.parse(info.State.StartedAt);
      containerStarts.set(name, containerStart);
    } catch {
      return false;
    }
  }
  // Allow for the worker's own start-up time ordering and small clock differences.
  return startedAt >= containerStart - 2_000;
}

async function redisHealth(docker: Dockerode, name: string): Promise<string> {
  try {
    return (await docker.getContainer(name).inspect()).State.Health?.Status ?? 'none';
  } catch {
    return 'starting';
  }
}

/**
 * Fails fast when Redis exits during this wait. A container that was already stopped when the
 * wait began — stopped by hand, or left incomplete by an interrupted run — is what the reconcile
 * running alongside is about to start or replace, so it is not a failure; an exit since is: a
 * different container, a new FinishedAt, or one first seen running.
 */
function redisExitWatch(docker: Dockerode, name: string): () => Promise<void> {
  /** undefined: not looked yet; null: absent or running at first look. */
  let stoppedAtStart: { id: string; finishedAt: string } | null | undefined;
  return async () => {
    let info: Dockerode.ContainerInspectInfo;
    try {
      info = await docker.getContainer(name).inspect();
    } catch {
      stoppedAtStart ??= null;
      return; // not created yet
    }
    const state = info.State;
    const live = state.Running || state.Restarting;
    if (stoppedAtStart === undefined) {
      stoppedAtStart = live ? null : { id: info.Id, finishedAt: state.FinishedAt };
    }
    if (live || state.Status === 'created' || state.Status === 'removing') return;
    if (stoppedAtStart?.id === info.Id && stoppedAtStart.finishedAt === state.FinishedAt) return;
    const logs = await lastLogLines(docker, name);
    throw new GuildhallError(
      'redis-unavailable',
      `Redis stopped while starting (exit code ${state.ExitCode}).${logs ? ` Last log lines:\n${logs}` : ''}`,
      'Run `guildhall logs redis` for the full log, or `guildhall doctor`.',
    );
  };
}
