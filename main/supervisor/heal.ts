/**
 * The heal duty: keeps every pool at its count and its containers working, and leaves alone what
 * the user stopped on purpose.
 *   - A pool container whose slot is empty (removed by hand: `docker rm -f`) is recreated once it
 *     has stayed missing for `missingConfirmMs` (a pool being scaled down saves its new count
 *     right after its removals, so a second look after a moment tells the two apart).
 *   - A running container whose healthcheck failed `spec.supervisor.unhealthyChecks` times in a
 *     row is restarted (gracefully, with its pool's stop timeout), once per run; not a built-in
 *     worker whose heartbeat is still in Redis (see `heartbeating`).
 *   - A crash-looping container is backed off (crash-backoff.ts says how this meets the engine's
 *     own restart policy).
 * Nothing is done while the cluster does not run (Redis stopped or gone, no network): `down`,
 * a stopped cluster, a pool scaled to 0 and a container the user stopped are all left as they
 * are. Every action goes through the cluster layer and is recorded with its reason. Actions that
 * take time (recreating, a graceful restart) run beside the loop, so the lease keeps being renewed.
 */
import { shortName, containerName } from '../cluster/naming';
import type { ClusterStatus, ContainerStatus } from '../cluster/status';
import { presentHeartbeats } from '../cluster/redis-probe';
import { clusterPools, type ClusterPool, type ClusterSpec } from '../settings/cluster-spec';
import { coreRedisConnection } from '../cluster/redis-connection';
import { heartbeatKey } from '@shared/worker-contract';
import type { BackoffSchedule } from './backoff';
import { seconds } from './backoff';
import { CrashBackoff, STABLE_MS, type BackoffStep } from './crash-backoff';
import type { DutyContext, SupervisorDuty, SupervisorEventInput } from './duty';
import { CRASH_LOOP } from '../monitor/alerts';

export interface HealOptions {
  backoff?: BackoffSchedule;
  /** How long a try must run to end a backoff (default STABLE_MS). */
  stableMs?: number;
  /** How long a container must stay missing before it is recreated (default 1 s). */
  missingConfirmMs?: number;
}

const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => (clearTimeout(timer), resolve()), { once: true });
  });

const errorText = (err: unknown) => ((err as Error)?.message ?? String(err)).split('\n')[0]!;

/** Whether the cluster runs: the supervisor heals only a running cluster. */
export function clusterRuns(status: ClusterStatus): boolean {
  return status.network && status.redis?.state === 'running';
}

/** The pool containers the spec wants and the engine does not have. */
export function missingContainers(status: ClusterStatus): { pool: string; name: string }[] {
  const missing: { pool: string; name: string }[] = [];
  for (const pool of status.pools) {
    for (let n = 1; n <= pool.desired; n++) {
      if (!status.workers.some((w) => w.pool === pool.name && w.number === n))
        missing.push({ pool: pool.name, name: containerName(status.cluster, pool.name, n) });
    }
  }
  return missing;
}

export class HealDuty implements SupervisorDuty {
  readonly name = 'heal';
  private readonly backoff: CrashBackoff;
  private readonly missingConfirmMs: number;
  /** Per container, the run (its start time) already restarted for failing checks. */
  private readonly restartedRuns = new Map<string, string | null>();
  /** Stopped containers whose restart policy was read (a held one has `no`). */
  private readonly policyRead = new Set<string>();
  /** Actions running beside the loop, by what they act on. */
  private readonly pending = new Map<string, Promise<void>>();

  constructor(options: HealOptions = {}) {
    this.backoff = new CrashBackoff(options.backoff, options.stableMs ?? STABLE_MS);
    this.missingConfirmMs = options.missingConfirmMs ?? 1_000;
  }

  async tick(context: DutyContext): Promise<void> {
    if (!clusterRuns(context.status)) return;
    this.recreateMissing(context);
    await this.restartUnhealthy(context);
    await this.backOffCrashLoops(context);
  }

  async stop(): Promise<void> {
    await Promise.allSettled(this.pending.values());
  }

  /** Runs `action` beside the loop unless one for `key` is still running. */
  private beside(key: string, action: () => Promise<void>): void {
    if (this.pending.has(key)) return;
    // Each action records its own failure; this only keeps a bug from ending the process.
    const running = action()
      .catch(() => {})
      .finally(() => this.pending.delete(key));
    this.pending.set(key, running);
  }

  private recreateMissing(context: DutyContext): void {
    if (missingContainers(context.status).length === 0) return;
    this.beside('recreate', async () => {
      await sleep(this.missingConfirmMs, context.signal);
      if (context.signal.aborted) return;
      // A second look, with the spec as saved now: a pool scaled down meanwhile is not healed.
      const again = await context.core.cluster.status().catch(() => null);
      if (!again || !clusterRuns(again)) return;
      const missing = missingContainers(again);
      if (missing.length === 0) return;
      const record = (target: { pool: string; name: string }, error: string | null) =>
        context.record({
          kind: 'action',
          pool: target.pool,
          target: target.name,
          action: 'recreate',
          reason: error
            ? `${this.short(target)} is missing; recreating it failed: ${error}`
            : `${this.short(target)} was missing (removed outside Guildhall): recreated it`,
          detail: error ? { error } : {},
        });
      try {
        await context.core.cluster.recreateMissing();
        for (const target of missing) record(target, null);
      } catch (err) {
        for (const target of missing) record(target, errorText(err));
      }
    });
  }

  private async restartUnhealthy(context: DutyContext): Promise<void> {
    const { workers } = context.status;
    for (const name of [...this.restartedRuns.keys()])
      if (!workers.some((w) => w.name === name)) this.restartedRuns.delete(name);
    const failing = workers.filter(
      (w) =>
        w.state === 'running' &&
        w.failingStreak > 0 &&
        this.restartedRuns.get(w.name) !== w.startedAt &&
        !this.backoff.isHeld(w.name),
    );
    if (failing.length === 0) return;
    const { spec } = await context.core.cluster.spec();
    const limit = spec.supervisor.unhealthyChecks;
    const pools = clusterPools(spec);
    const due = failing.filter((w) => w.failingStreak >= limit);
    if (due.length === 0) return;
    const beating = await this.heartbeating(context, spec, due, pools);
    for (const worker of due) {
      this.restartedRuns.set(worker.name, worker.startedAt);
      if (beating.has(worker.name)) {
        context.record({
          kind: 'decision',
          pool: worker.pool,
          target: worker.name,
          action: 'keep',
          reason: `${this.short(worker)} failed its healthcheck ${worker.failingStreak} times in a row but sends its heartbeat: not restarted (a busy host times the check out)`,
          detail: { failures: worker.failingStreak, limit },
        });
        continue;
      }
      const stopSeconds =
        pools.find((p) => p.name === worker.pool)?.spec.stopTimeoutSeconds ??
        spec.workers.stopTimeoutSeconds;
      const streak = worker.failingStreak;
      this.beside(worker.name, async () => {
        let error: string | null = null;
        try {
          await (await context.core.cluster.containers()).restart(worker.name, stopSeconds);
        } catch (err) {
          error = errorText(err);
        }
        context.record({
          kind: 'action',
          pool: worker.pool,
          target: worker.name,
          action: 'restart',
          reason:
            `${this.short(worker)} failed its healthcheck ${streak} times in a row (limit ${limit}): ` +
            (error ? `restarting it failed: ${error}` : 'restarted it'),
          detail: { failures: streak, limit, ...(error ? { error } : {}) },
        });
      });
    }
  }

  /**
   * Built-in workers among `workers` whose heartbeat is in Redis: the worker program itself is
   * alive and working (it writes one every second), so a failing engine check is the check's own
   * trouble (a new process timed out on a loaded host) and a restart would only lose its jobs.
   */
  private async heartbeating(
    context: DutyContext,
    spec: ClusterSpec,
    workers: ContainerStatus[],
    pools: ClusterPool[],
  ): Promise<Set<string>> {
    const builtin = workers.filter((w) => pools.find((p) => p.name === w.pool)?.kind === 'builtin');
    const port = context.status.redis?.port ?? null;
    if (builtin.length === 0 || port === null) return new Set();
    const connection = await coreRedisConnection(spec, context.core.secrets, { port }).catch(
      () => null,
    );
    if (connection === null || (!connection.external && connection.password === undefined))
      return new Set();
    const beats = await presentHeartbeats(
      connection,
      builtin.map((w) => heartbeatKey(spec.name, w.name)),
    );
    return new Set(builtin.filter((_, i) => beats?.[i] === true).map((w) => w.name));
  }

  private async backOffCrashLoops(context: DutyContext): Promise<void> {
    const workers = context.status.workers;
    const stopped = workers.filter(
      (w) => w.state === 'exited' && !this.backoff.isHeld(w.name) && !this.policyRead.has(w.id),
    );
    if (stopped.length > 0) {
      // Held by a supervisor before a takeover: its policy is `no`. Others were stopped by the user.
      const containers = await context.core.cluster.containers();
      for (const worker of stopped) {
        this.policyRead.add(worker.id);
        const info = await containers.find(worker.id).catch(() => null);
        if (info?.HostConfig.RestartPolicy?.Name === 'no') this.backoff.adopt(worker, context.now);
      }
    }
    const steps = this.backoff
      .observe(workers, context.now)
      .filter((step) => !this.pending.has(step.name));
    if (steps.length === 0) return;
    const containers = await context.core.cluster.containers();
    for (const step of steps) {
      const worker = workers.find((w) => w.name === step.name)!;
      if (step.kind === 'hold' && step.exitCode === null) {
        // Between two crashes the engine reports it running: its last exit code is in the details.
        const info = await containers.find(step.name).catch(() => null);
        if (info && !(info.State.Running && !info.State.Restarting))
          step.exitCode = info.State.ExitCode;
        else if (info?.State.Restarting) step.exitCode = info.State.ExitCode;
      }
      try {
        await this.carryOut(step, containers);
        context.record(this.eventOf(step, worker, null));
      } catch (err) {
        this.backoff.forget(step.name);
        context.record(this.eventOf(step, worker, errorText(err)));
      }
    }
  }

  private async carryOut(
    step: BackoffStep,
    containers: Awaited<ReturnType<DutyContext['core']['cluster']['containers']>>,
  ): Promise<void> {
    if (step.kind === 'hold') {
      await containers.setRestartPolicy(step.name, 'no');
      await containers.stop(step.name, 0);
    } else if (step.kind === 'retry') {
      await containers.start(step.name);
    } else {
      await containers.setRestartPolicy(step.name, 'unless-stopped');
    }
  }

  private eventOf(
    step: BackoffStep,
    worker: ContainerStatus,
    error: string | null,
  ): SupervisorEventInput {
    const who = this.short(worker);
    const failed = error ? ` (failed: ${error})` : '';
    const base = { kind: 'action' as const, pool: worker.pool, target: worker.name };
    if (step.kind === 'hold') {
      const exit = step.exitCode === null ? '' : `, last exit code ${step.exitCode}`;
      const why =
        step.failures === 1
          ? `${who} crashed ${step.crashes} times within ${CRASH_LOOP.windowMs / 60_000} minutes${exit}`
          : `${who} crashed again on try ${step.failures}${exit}`;
      return {
        ...base,
        action: 'backoff',
        reason: `${why}: stopped it; next try in ${seconds(step.delayMs)} s${failed}`,
        detail: {
          crashes: step.crashes,
          failures: step.failures,
          delaySeconds: seconds(step.delayMs),
          ...(step.exitCode === null ? {} : { exitCode: step.exitCode }),
          ...(error ? { error } : {}),
        },
      };
    }
    if (step.kind === 'retry') {
      return {
        ...base,
        action: 'retry',
        reason: `${who}: try ${step.attempt} after ${seconds(step.waitedMs)} s of backoff${failed}`,
        detail: { attempt: step.attempt, waitedSeconds: seconds(step.waitedMs) },
      };
    }
    return {
      ...base,
      action: 'recovered',
      reason: `${who} runs again after ${step.failures} failed tries: the engine restarts it again${failed}`,
      detail: { failures: step.failures },
    };
  }

  private short(container: { pool: string; name: string; number?: number }): string {
    const number = container.number ?? Number(container.name.split('-').at(-1));
    return shortName(container.pool, number);
  }
}
