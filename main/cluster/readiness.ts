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

export async function waitRedisHealthy(
  docker: Dockerode,
  name: string,
  onProgress: ProgressSink,
  timeoutMs = 60_000,
): Promise<void> {
  const started = Date.now();
  progress(onProgress, 'redis', name, 'running', { message: 'waiting until healthy' });
  while (Date.now() - started < timeoutMs) {
    const info = await docker.getContainer(name).inspect();
    if (info.State.Health?.Status === 'healthy') {
      progress(onProgress, 'redis', name, 'done', { message: 'healthy' });
      return;
    }
    if (!info.State.Running && !info.State.Restarting) {
      const logs = await lastLogLines(docker, name);
      throw new GuildhallError(
        'redis-unavailable',
        `Redis stopped while starting (exit code ${info.State.ExitCode}).${logs ? ` Last log lines:\n${logs}` : ''}`,
        'Run `guildhall logs redis` for the full log, or `guildhall doctor`.',
      );
    }
    await sleep(200);
  }
  throw new GuildhallError(
    'timeout',
    `Redis did not become healthy within ${Math.round(timeoutMs / 1000)} s.`,
    'Run `guildhall logs redis` to see why, or `guildhall doctor`.',
  );
}

export interface RedisEndpoint {
  host: string;
  port: number;
  password: string;
}

/** Waits until every named worker has published a heartbeat. */
export async function waitWorkersRegistered(
  endpoint: RedisEndpoint,
  cluster: string,
  names: string[],
  onProgress: ProgressSink,
  timeoutMs = 60_000,
): Promise<void> {
  if (names.length === 0) return;
  const redis = new Redis({
    ...endpoint,
    lazyConnect: true,
    maxRetriesPerRequest: 1,
    enableOfflineQueue: false,
  });
  redis.on('error', () => {});
  const started = Date.now();
  const pending = new Set(names);
  try {
    await redis.connect();
    while (Date.now() - started < timeoutMs) {
      const keys = [...pending].map((name) => heartbeatKey(cluster, name));
      const values = await redis.mget(...keys);
      [...pending].forEach((name, i) => {
        if (values[i]) {
          pending.delete(name);
          progress(onProgress, 'worker', name, 'done', { message: 'registered' });
        }
      });
      if (pending.size === 0) return;
      await sleep(200);
    }
  } finally {
    redis.disconnect();
  }
  throw new GuildhallError(
    'timeout',
    `Workers did not register within ${Math.round(timeoutMs / 1000)} s: ${[...pending].join(', ')}.`,
    'Run `guildhall logs worker-1` to see why, or `guildhall doctor`.',
  );
}
