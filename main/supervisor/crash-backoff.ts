/**
 * Backing off a crash-looping container, decided from successive status reads: which container
 * to hold (stop, and have the engine stop restarting it), when to try it again, and when it has
 * recovered. Pure and clock-free (each read carries its time), so the schedule is unit-tested;
 * the heal duty (heal.ts) carries the steps out through the cluster layer.
 *
 * How it meets the engine's restart policy: pool containers run `unless-stopped`, so the engine
 * restarts a crashed one at once, then after growing delays (100 ms doubling, up to a minute).
 * That stays the first answer to a crash. Once a container has crashed CRASH_LOOP.crashes times
 * within CRASH_LOOP's window (the one crash-loop rule, monitor/alerts.ts), the supervisor takes
 * over: it sets the container's policy to `no`, stops it, and starts it itself after
 * backoffDelay (10 s, 20 s, 40 s … 5 min); a try that runs for STABLE_MS gets the policy back
 * and the record is dropped. A stopped container with no record here was stopped by the user
 * and is left alone; one found with policy `no` and no record (another supervisor's, before a
 * takeover) is adopted.
 */
import { isCrashLoop, CRASH_LOOP, isFailedExit } from '../monitor/alerts';
import { backoffDelay, DEFAULT_BACKOFF, type BackoffSchedule } from './backoff';

/** A try that runs this long ends the backoff: the engine's policy is restored. */
export const STABLE_MS = 60_000;

/** What the backoff needs of a container in a status read. */
export interface BackoffContainer {
  name: string;
  id: string;
  state: string;
  /** Engine restarts that were crashes (reloads left out). */
  restartCount: number;
  exitCode: number | null;
  startedAt: string | null;
}

export type BackoffStep =
  | {
      kind: 'hold';
      name: string;
      /** Crashes in the window, for the reason. */
      crashes: number;
      exitCode: number | null;
      /** Failed runs in a row so far (1 when the loop is first seen). */
      failures: number;
      delayMs: number;
    }
  | { kind: 'retry'; name: string; attempt: number; waitedMs: number }
  | { kind: 'recovered'; name: string; failures: number };

interface Watched {
  id: string;
  restartCount: number;
  exited: boolean;
  crashes: number[];
}

interface Held {
  id: string;
  failures: number;
  /** When the next try is due; null once it was tried. */
  nextAt: number | null;
  delayMs: number;
  /** When the last try was started. */
  triedAt: number | null;
}

export class CrashBackoff {
  private readonly watched = new Map<string, Watched>();
  private readonly held = new Map<string, Held>();

  constructor(
    private readonly schedule: BackoffSchedule = DEFAULT_BACKOFF,
    private readonly stableMs = STABLE_MS,
  ) {}

  /** Whether the container is held by the backoff (a stop that is not the user's). */
  isHeld(name: string): boolean {
    return this.held.has(name);
  }

  /** Takes over a held container found without a record (policy `no`): first try after the base wait. */
  adopt(container: Pick<BackoffContainer, 'name' | 'id'>, now: number): void {
    if (this.held.has(container.name)) return;
    const delayMs = backoffDelay(1, this.schedule);
    this.held.set(container.name, {
      id: container.id,
      failures: 1,
      nextAt: now + delayMs,
      delayMs,
      triedAt: null,
    });
  }

  /** A step could not be carried out: forget the container so the next read starts afresh. */
  forget(name: string): void {
    this.held.delete(name);
    this.watched.delete(name);
  }

  /** Reads one status: the steps to take now. */
  observe(containers: readonly BackoffContainer[], now: number): BackoffStep[] {
    const steps: BackoffStep[] = [];
    const names = new Set(containers.map((c) => c.name));
    for (const name of [...this.watched.keys()]) if (!names.has(name)) this.watched.delete(name);
    for (const name of [...this.held.keys()]) if (!names.has(name)) this.held.delete(name);
    for (const container of containers) {
      const held = this.held.get(container.name);
      if (held && held.id !== container.id) this.held.delete(container.name); // recreated
      const step = this.held.has(container.name)
        ? this.observeHeld(container, this.held.get(container.name)!, now)
        : this.observeRunning(container, now);
      if (step) steps.push(step);
    }
    return steps;
  }

  private observeRunning(container: BackoffContainer, now: number): BackoffStep | null {
    const failedExit = isFailedExit(container);
    const seen = this.watched.get(container.name);
    if (!seen || seen.id !== container.id || container.restartCount < seen.restartCount) {
      this.watched.set(container.name, {
        id: container.id,
        restartCount: container.restartCount,
        exited: failedExit,
        crashes: [],
      });
      return null;
    }
    let crashes = Math.max(0, container.restartCount - seen.restartCount);
    // An exit the engine has not restarted yet is a crash; its restart is then not counted again.
    if (failedExit && !seen.exited) crashes += 1;
    if (!failedExit && seen.exited && crashes > 0) crashes -= 1;
    seen.restartCount = container.restartCount;
    seen.exited = failedExit;
    for (let i = 0; i < crashes; i++) seen.crashes.push(now);
    seen.crashes = seen.crashes.filter((at) => at > now - CRASH_LOOP.windowMs);
    const looping =
      container.state === 'restarting' || failedExit || this.justStarted(container, now);
    if (!looping || !isCrashLoop(seen.crashes, now)) return null;
    const delayMs = backoffDelay(1, this.schedule);
    this.watched.delete(container.name);
    this.held.set(container.name, {
      id: container.id,
      failures: 1,
      nextAt: now + delayMs,
      delayMs,
      triedAt: null,
    });
    return {
      kind: 'hold',
      name: container.name,
      crashes: seen.crashes.length,
      exitCode: container.exitCode,
      failures: 1,
      delayMs,
    };
  }

  private observeHeld(container: BackoffContainer, held: Held, now: number): BackoffStep | null {
    const running = container.state === 'running' || container.state === 'restarting';
    if (held.triedAt === null && running) {
      // Started by someone else (`up`, a restart from the console): that is this try.
      held.triedAt = now;
      held.nextAt = null;
      return null;
    }
    if (held.triedAt !== null) {
      if (running) {
        if (now - held.triedAt < this.stableMs) return null;
        this.held.delete(container.name);
        return { kind: 'recovered', name: container.name, failures: held.failures };
      }
      // The try failed: wait longer.
      held.failures += 1;
      held.delayMs = backoffDelay(held.failures, this.schedule);
      held.nextAt = now + held.delayMs;
      held.triedAt = null;
      return {
        kind: 'hold',
        name: container.name,
        crashes: held.failures,
        exitCode: container.exitCode,
        failures: held.failures,
        delayMs: held.delayMs,
      };
    }
    if (running || held.nextAt === null || now < held.nextAt) return null;
    held.triedAt = now;
    held.nextAt = null;
    return {
      kind: 'retry',
      name: container.name,
      attempt: held.failures + 1,
      waitedMs: held.delayMs,
    };
  }

  /** Started within the last few seconds: a crash loop between two of its crashes. */
  private justStarted(container: BackoffContainer, now: number): boolean {
    if (container.state !== 'running' || !container.startedAt) return false;
    return now - Date.parse(container.startedAt) < 10_000;
  }
}
