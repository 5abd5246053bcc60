/**
 * Workers check, over every pool: every wanted container exists, runs, passes its health check
 * and is not crash-looping (built-in pools' workers also send their heartbeat; custom pools'
 * containers are judged by the engine alone) (the one rule, CRASH_LOOP in monitor/alerts.ts). A running container's own
 * state forgets why it last stopped, so crash times, the last exit code and out-of-memory kills
 * come from the engine's event log (`die` and `oom` events of the crash-loop window), which the
 * engine keeps in memory and answers without scanning. Exits to reload changed processor files
 * (and stops) are not crashes; the status's restart count already leaves reloads out.
 */
import type { ClusterContainers } from '../../cluster/containers';
import { containerName, shortName } from '../../cluster/naming';
import { clusterPools } from '../../settings/cluster-spec';
import { DEFAULT_POOL } from '../../settings/pool-spec';
import { WORKER_HEARTBEAT_GRACE_MS } from '../../cluster/own-health';
import type { ContainerStatus } from '../../cluster/status';
import { heartbeatKey, isPlannedWorkerExit, WORKER_EXIT_CODES } from '@shared/worker-contract';
import { CRASH_LOOP, isCrashLoop } from '../../monitor/alerts';
import type { DiagnosticsContext } from '../context';
import { failed, passed, skipped, warning, type DiagnosticCheck, type FixAction } from '../types';
import { START_CLUSTER } from './redis';

const WINDOW_MINUTES = CRASH_LOOP.windowMs / 60_000;

export interface ContainerExit {
  exitCode: number;
  at: number;
}

export interface RecentExits {
  dies: ContainerExit[];
  ooms: number;
}

/** The container's `die` and `oom` events since `sinceMs` (epoch ms), oldest first. */
export async function recentExits(
  containers: ClusterContainers,
  containerId: string,
  sinceMs: number,
): Promise<RecentExits> {
  const stream = await containers.pastExitEvents(containerId, Math.floor(sinceMs / 1000));
  let text = '';
  for await (const chunk of stream as AsyncIterable<Buffer | string>) text += chunk.toString();
  const result: RecentExits = { dies: [], ooms: 0 };
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    try {
      const event = JSON.parse(line) as {
        Action?: string;
        status?: string;
        time?: number;
        timeNano?: number;
        Actor?: { Attributes?: Record<string, string> };
      };
      const action = event.Action ?? event.status;
      const at = event.timeNano ? Math.floor(event.timeNano / 1e6) : (event.time ?? 0) * 1000;
      if (action === 'oom') result.ooms++;
      if (action === 'die') {
        result.dies.push({ exitCode: Number(event.Actor?.Attributes?.exitCode ?? -1), at });
      }
    } catch {
      // a partial line; ignore
    }
  }
  return result;
}

/** "137 (killed: SIGKILL — out of memory or `docker kill`)" and the like. */
export function describeExitCode(code: number, oom = false): string {
  if (oom) return `${code} (killed: out of memory)`;
  if (code === WORKER_EXIT_CODES.reload) return `${code} (reloading changed processor files)`;
  if (code === WORKER_EXIT_CODES.badConfig)
    return `${code} (bad configuration: environment, password file or processors folder)`;
  if (code === 137) return '137 (killed with SIGKILL)';
  if (code === 143) return '143 (stopped with SIGTERM)';
  if (code > 128 && code < 160) return `${code} (killed by signal ${code - 128})`;
  if (code === WORKER_EXIT_CODES.crashed) return '1 (the worker program crashed)';
  return String(code);
}

/**
 * The fixes for one container of any pool: restart or recreate it. The default pool's keep their
 * ids by number (`restart-worker:2`); another pool's name the container (`restart-worker:tools-1`).
 */
function workerFixes(pool: string, number: number): FixAction[] {
  const name = shortName(pool, number);
  const target = pool === DEFAULT_POOL ? String(number) : name;
  return [
    { id: `restart-worker:${target}`, label: `Restart ${name}` },
    { id: `recreate-worker:${target}`, label: `Recreate ${name}` },
  ];
}

interface WorkerFinding {
  level: 'failed' | 'warning';
  text: string;
  worker: ContainerStatus | null;
  number: number;
}

async function inspectWorker(
  containers: ClusterContainers,
  worker: ContainerStatus,
  heartbeat: boolean | null,
): Promise<WorkerFinding | null> {
  const name = shortName(worker.pool, worker.number);
  const base = { worker, number: worker.number };
  const now = Date.now();
  const exits = await recentExits(containers, worker.id, now - CRASH_LOOP.windowMs).catch(
    () => null,
  );
  const crashes = (exits?.dies ?? []).filter((die) => !isPlannedWorkerExit(die.exitCode));
  const lastCrash = crashes.at(-1);
  const oom = worker.oomKilled || (exits?.ooms ?? 0) > 0;
  // The engine's event log may have dropped old events: the restart count (crashes only) backs it.
  const looping =
    isCrashLoop(
      crashes.map((c) => c.at),
      now,
    ) ||
    (lastCrash !== undefined && worker.restartCount >= CRASH_LOOP.crashes);
  const restarted = Math.max(worker.restartCount, crashes.length);
  if (worker.state !== 'running') {
    const code = worker.exitCode ?? exits?.dies.at(-1)?.exitCode ?? null;
    // Between a planned exit and its restart: a reload in progress, not a problem.
    if (worker.state === 'restarting' && code !== null && isPlannedWorkerExit(code)) return null;
    const exit =
      code !== null ? `exit code ${describeExitCode(code, oom)}` : 'an unknown exit code';
    if (worker.state === 'restarting' && (looping || worker.restartCount >= CRASH_LOOP.crashes)) {
      return {
        ...base,
        level: 'failed',
        text: `${name} is crash-looping: restarted ${restarted} times, last ${exit}.`,
      };
    }
    // Stopped after a crash loop (the supervisor holds it and tries it again later, or the engine
    // gave up): still a crash loop, named by its last crash, not by the stop that held it.
    if (worker.state === 'exited' && looping && lastCrash) {
      return {
        ...base,
        level: 'failed',
        text: `${name} is crash-looping: restarted ${restarted} times, last exit code ${describeExitCode(lastCrash.exitCode, oom)}; it is stopped now.`,
      };
    }
    const text =
      worker.state === 'restarting'
        ? `${name} is restarting after it stopped with ${exit}.`
        : `${name} is ${worker.state}; it stopped with ${exit}.`;
    return { ...base, level: 'failed', text };
  }
  if (exits === null) throw new Error('the engine did not answer for its events');
  if (looping && lastCrash) {
    return {
      ...base,
      level: 'failed',
      text: `${name} is crash-looping: restarted ${restarted} times, last exit code ${describeExitCode(lastCrash.exitCode, exits.ooms > 0)}.`,
    };
  }
  const startedAgo = worker.startedAt ? Date.now() - Date.parse(worker.startedAt) : 0;
  // Guildhall's own check, on every engine: the worker program's heartbeat in Redis.
  if (heartbeat === false && startedAgo > WORKER_HEARTBEAT_GRACE_MS) {
    return {
      ...base,
      level: 'failed',
      text: `${name} runs but sends no heartbeat to Redis: the worker program cannot reach Redis, or hangs.`,
    };
  }
  if (worker.health === 'unhealthy') {
    return { ...base, level: 'failed', text: `${name} runs but fails its health check.` };
  }
  if (lastCrash && worker.restartCount > 0) {
    return {
      ...base,
      level: 'warning',
      text: `${name} restarted ${worker.restartCount} time(s) in the last ${WINDOW_MINUTES} minutes; last exit code ${describeExitCode(lastCrash.exitCode, exits.ooms > 0)}.`,
    };
  }
  // Neither the engine's healthcheck (never run on some engines) nor a heartbeat vouches for it.
  if (
    worker.health === 'starting' &&
    heartbeat !== true &&
    startedAgo > WORKER_HEARTBEAT_GRACE_MS
  ) {
    return {
      ...base,
      level: 'warning',
      text: `${name}'s health is unknown: the engine has not run its healthcheck and its heartbeat could not be read.`,
    };
  }
  return null;
}

async function heartbeats(
  ctx: DiagnosticsContext,
  cluster: string,
  workers: ContainerStatus[],
): Promise<Map<string, boolean> | null> {
  const redis = await ctx.redis();
  if (!redis.ok || workers.length === 0) return null;
  try {
    const values = await redis.client.mget(...workers.map((w) => heartbeatKey(cluster, w.name)));
    return new Map(workers.map((w, i) => [w.name, values[i] !== null && values[i] !== undefined]));
  } catch {
    return null;
  }
}

export const workersHealthyCheck: DiagnosticCheck = {
  id: 'workers.healthy',
  category: 'workers',
  title: 'Workers running, none crash-looping',
  documentation: `Each container of every pool must run and pass its health check; a built-in pool's workers also send their heartbeat to Redis. A worker that crashed ${CRASH_LOOP.crashes} times within ${WINDOW_MINUTES} minutes is crash-looping: its jobs stall and are retried elsewhere. Restarts to load changed processor files (exit code ${WORKER_EXIT_CODES.reload}) are reloads, not crashes. Exit code 137 means it was killed (often out of memory), 78 a configuration problem.`,
  applicable: async (ctx) => (await ctx.clusterExists()) !== false,
  async check(ctx) {
    const containers = await ctx.containers();
    const status = await ctx.status();
    if (!containers || !status) return skipped('The engine could not be reached.');
    const spec = await ctx.spec();
    const findings: WorkerFinding[] = [];
    const pools = clusterPools(spec);
    for (const pool of pools) {
      const present = new Set(
        status.workers.filter((w) => w.pool === pool.name).map((w) => w.number),
      );
      for (let n = 1; n <= pool.spec.replicas; n++) {
        if (!present.has(n)) {
          findings.push({
            level: 'failed',
            text: `${containerName(spec.name, pool.name, n)} (pool ${pool.name}) is missing.`,
            worker: null,
            number: n,
          });
        }
      }
    }
    // Heartbeats are the worker program's: only built-in pools send them.
    const builtin = new Set(pools.filter((p) => p.kind === 'builtin').map((p) => p.name));
    const beats = await heartbeats(
      ctx,
      spec.name,
      status.workers.filter((w) => builtin.has(w.pool)),
    );
    const inspected = await Promise.all(
      status.workers.map((w) => inspectWorker(containers, w, beats?.get(w.name) ?? null)),
    );
    findings.push(...inspected.filter((f): f is WorkerFinding => f !== null));
    const running = status.workers.filter((w) => w.state === 'running').length;
    if (findings.length === 0) {
      return passed(
        status.desiredWorkers === 0
          ? 'No workers are wanted (scaled to 0).'
          : pools.length > 1
            ? `All ${running} container(s) of ${pools.length} pools run and none is crash-looping.`
            : `All ${running} worker(s) run and none is crash-looping.`,
      );
    }
    const details: string[] = [];
    const fixes: FixAction[] = [];
    for (const finding of findings) {
      details.push(finding.text);
      if (finding.worker) {
        const logs = await containers.lastLines(finding.worker.name, 5);
        if (logs) details.push(...logs.split('\n').map((l) => `  ${l}`));
        fixes.push(...workerFixes(finding.worker.pool, finding.number));
      }
    }
    if (findings.some((f) => f.worker === null)) fixes.push(START_CLUSTER);
    const worst = findings.some((f) => f.level === 'failed') ? failed : warning;
    const first = findings.find((f) => f.level === 'failed') ?? findings[0]!;
    const more = findings.length > 1 ? ` (${findings.length - 1} more below)` : '';
    return worst(`${first.text}${more}`, fixes, details);
  },
};

export const WORKER_CHECKS: DiagnosticCheck[] = [workersHealthyCheck];
