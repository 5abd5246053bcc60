/**
 * Waits until the cluster is usable: Redis answering, and (optionally) the built-in pools'
 * workers heartbeating and the custom pools' containers running (healthy, when they have a
 * healthcheck: Guildhall never talks to the program inside).
 */
import type Dockerode from 'dockerode';
import type { Redis } from 'ioredis';
import { GuildhallError } from '../util/errors';
import { progress, type ProgressSink } from '../util/progress';
import { logText } from './log-lines';
import { answeringClient, loadRedisClient, type RedisEndpoint } from './redis-probe';
import { heartbeatKey } from '@shared/worker-contract';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The last lines a container wrote, as text; empty when it cannot be read. */
export async function lastLogLines(docker: Dockerode, name: string, lines = 5): Promise<string> {
  try {
    const buffer = (await docker
      .getContainer(name)
      .logs({ stdout: true, stderr: true, tail: lines })) as Buffer;
    return logText(buffer).trim();
  } catch {
    return '';
  }
}

export interface ReadinessOptions {
  docker: Dockerode;
  endpoint: RedisEndpoint;
  cluster: string;
  redisContainer: string;
  /** Worker container names that must have sent a heartbeat. */
  workers: string[];
  /** Custom pools' containers that must run (and be healthy, with a healthcheck). */
  customContainers?: { name: string; healthcheck: boolean }[];
  onProgress: ProgressSink;
  timeoutMs: number;
  signal?: AbortSignal;
  /**
   * Resolves once the Redis container is running. Connecting to the published port earlier is
   * worse than useless: the engine's port proxy accepts, then its first packets to a container
   * whose network is not up yet stall for about a second (the kernel's neighbour retry time).
   */
  redisStarted?: Promise<void>;
  /**
   * Ids of the containers this run replaces. A worker being replaced still runs, under the same
   * name, with a live heartbeat: that one must not count, only its successor's.
   */
  replacedContainers?: Promise<ReadonlySet<string>>;
}

/**
 * Waits until Redis answers PING with the password on its published port and every worker has
 * published a heartbeat. Asking Redis directly is what clients depend on, and it is faster than the
 * engine's healthcheck, whose first probe only runs one interval after start. Can start while
 * containers are still being created: it keeps trying until the deadline, and fails fast if Redis
 * exits.
 */
export async function waitClusterReady(options: ReadinessOptions): Promise<void> {
  const { docker, endpoint, cluster, onProgress, signal } = options;
  void loadRedisClient().catch(() => {}); // while the containers start; a failure is thrown on use
  const deadline = Date.now() + options.timeoutMs;
  const pending = new Set(options.workers);
  const pendingCustom = new Map((options.customContainers ?? []).map((c) => [c.name, c]));
  let lastCustomCheck = 0;
  let lastExitCheck = 0;
  const assertRedisAlive = redisExitWatch(docker, options.redisContainer);
  const checkRedisAlive = async () => {
    if (Date.now() - lastExitCheck < 1_000) return;
    lastExitCheck = Date.now();
    await assertRedisAlive();
  };
  // Start time of each running worker container, inspected once rather than on every poll.
  const containerStarts = new Map<string, number>();
  progress(onProgress, 'redis', options.redisContainer, 'running', {
    message: 'waiting until it answers',
  });
  let redis: Redis | null = null;
  let redisAnswered = false;
  const stop = () => redis?.disconnect();
  signal?.addEventListener('abort', stop, { once: true });
  try {
    // The exit watch's first look is its baseline ("already stopped before this run"): take it
    // before Redis starts, so a Redis that exits right after starting counts as a failure.
    await assertRedisAlive();
    lastExitCheck = Date.now();
    if (options.redisStarted) await untilStarted(options.redisStarted, deadline, signal);
    const replaced = (await options.replacedContainers) ?? new Set<string>();
    while (Date.now() < deadline) {
      if (signal?.aborted)
        throw new GuildhallError('cancelled', 'Stopped waiting for the cluster.');
      redis ??= await answeringClient(endpoint, { deadline, signal, onWait: checkRedisAlive });
      if (redis === null) continue;
      if (!redisAnswered) {
        redisAnswered = true;
        progress(onProgress, 'redis', options.redisContainer, 'done', { message: 'answering' });
      }
      try {
        if (pending.size > 0) {
          const names = [...pending];
          const values = await redis.mget(...names.map((name) => heartbeatKey(cluster, name)));
          const current = await Promise.all(
            names.map((name, i) => {
              const value = values[i];
              return value
                ? isCurrentHeartbeat(docker, name, value, containerStarts, replaced)
                : false;
            }),
          );
          for (const [i, name] of names.entries()) {
            if (!current[i]) continue;
            pending.delete(name);
            progress(onProgress, 'worker', name, 'done', { message: 'registered' });
          }
        }
      } catch {
        redis.disconnect();
        redis = null;
      }
      if (pendingCustom.size > 0 && Date.now() - lastCustomCheck >= CUSTOM_CHECK_INTERVAL_MS) {
        lastCustomCheck = Date.now();
        for (const name of await runningCustom(docker, [...pendingCustom.values()], replaced)) {
          pendingCustom.delete(name);
          progress(onProgress, 'worker', name, 'done', { message: 'running' });
        }
      }
      if (pending.size === 0 && pendingCustom.size === 0) return;
      await checkRedisAlive();
      await sleep(25);
    }
  } finally {
    signal?.removeEventListener('abort', stop);
    redis?.disconnect();
  }
  if (signal?.aborted) throw new GuildhallError('cancelled', 'Stopped waiting for the cluster.');
  const seconds = Math.round(options.timeoutMs / 1000);
  if (!redisAnswered) {
    throw new GuildhallError(
      'timeout',
      `Redis did not answer on ${endpoint.host}:${endpoint.port} within ${seconds} s.`,
      'Run `guildhall logs redis` to see why, or `guildhall doctor`.',
    );
  }
  if (pending.size === 0) {
    const names = [...pendingCustom.keys()];
    throw new GuildhallError(
      'timeout',
      `Custom pool containers did not come up${
        [...pendingCustom.values()].some((c) => c.healthcheck) ? ' healthy' : ''
      } within ${seconds} s: ${names.join(', ')}.`,
      `Run \`guildhall logs ${names[0]?.replace(`${cluster}-`, '') ?? ''}\` to see why, or \`guildhall doctor\`.`,
    );
  }
  throw new GuildhallError(
    'timeout',
    `Workers did not register within ${seconds} s: ${[...pending].join(', ')}.`,
    `Run \`guildhall logs ${[...pending][0]?.replace(/^.*-(worker-\d+)$/, '$1') ?? 'worker-1'}\` to see why, or \`guildhall doctor\`.`,
  );
}

/** How often custom pools' containers are inspected while waiting (they send no heartbeat). */
const CUSTOM_CHECK_INTERVAL_MS = 250;

/** Which of these custom pool containers run (and, with a healthcheck, are healthy). */
async function runningCustom(
  docker: Dockerode,
  containers: { name: string; healthcheck: boolean }[],
  replaced: ReadonlySet<string>,
): Promise<string[]> {
  const ready = await Promise.all(
    containers.map(async ({ name, healthcheck }) => {
      try {
        const info = await docker.getContainer(name).inspect();
        if (replaced.has(info.Id)) return false; // not yet its successor
        return info.State.Running && (!healthcheck || info.State.Health?.Status === 'healthy');
      } catch {
        return false; // not created yet
      }
    }),
  );
  return containers.filter((_, i) => ready[i]).map((c) => c.name);
}

/** Waits for `started`, but no longer than the deadline, and not past an abort. */
async function untilStarted(
  started: Promise<void>,
  deadline: number,
  signal: AbortSignal | undefined,
): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  let onAbort: (() => void) | undefined;
  try {
    await Promise.race([
      started,
      new Promise<void>((resolve) => {
        timer = setTimeout(resolve, Math.max(0, deadline - Date.now()));
        onAbort = resolve;
        signal?.addEventListener('abort', onAbort, { once: true });
      }),
    ]);
  } finally {
    clearTimeout(timer);
    if (onAbort) signal?.removeEventListener('abort', onAbort);
  }
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
  replaced: ReadonlySet<string>,
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
      // Not yet its successor: look again on the next poll.
      if (!info.State.Running || replaced.has(info.Id)) return false;
      containerStart = Date.parse(info.State.StartedAt);
      containerStarts.set(name, containerStart);
    } catch {
      return false;
    }
  }
  // Allow for the worker's own start-up time ordering and small clock differences.
  return startedAt >= containerStart - 2_000;
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
