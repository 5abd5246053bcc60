/**
 * The supervisor's crash-loop backoff: the schedule (10 s doubling to 5 minutes), and the
 * decisions read from successive statuses: hold a container once CRASH_LOOP's crashes are seen,
 * try it again when its wait is over, wait longer when the try crashes, give the engine its
 * restarts back once a try runs long enough; a container stopped by the user is never touched.
 */
import { describe, expect, it } from 'vitest';
import { backoffDelay, DEFAULT_BACKOFF } from '../../main/supervisor/backoff';
import { CrashBackoff, type BackoffContainer } from '../../main/supervisor/crash-backoff';

describe('backoffDelay', () => {
  it('doubles from the base after each failed try and stops at the cap', () => {
    const delays = [1, 2, 3, 4, 5, 6, 7, 8, 50].map((n) => backoffDelay(n));
    expect(delays).toEqual([
      10_000, 20_000, 40_000, 80_000, 160_000, 300_000, 300_000, 300_000, 300_000,
    ]);
    expect(backoffDelay(1e9)).toBe(DEFAULT_BACKOFF.capMs);
    expect(backoffDelay(3, { baseMs: 1_000, capMs: 2_500 })).toBe(2_500);
  });

  it('starts a crash-looping container at most a handful of times a minute', () => {
    // After the loop is seen: tries at 10 s, then 30 s, then 70 s…
    let at = 0;
    const tries: number[] = [];
    for (let failures = 1; at < 60_000; failures++) {
      at += backoffDelay(failures);
      if (at < 60_000) tries.push(at);
    }
    expect(tries).toEqual([10_000, 30_000]);
  });
});

const SECOND = 1_000;
const T0 = Date.parse('2026-12-03T08:00:00Z');

function container(fields: Partial<BackoffContainer> = {}): BackoffContainer {
  return {
    name: 'c-crash-1',
    id: 'id-1',
    state: 'running',
    restartCount: 0,
    exitCode: null,
    startedAt: new Date(T0).toISOString(),
    ...fields,
  };
}

describe('CrashBackoff', () => {
  it('holds a container once it crashed three times, then retries on schedule', () => {
    const backoff = new CrashBackoff();
    expect(backoff.observe([container()], T0)).toEqual([]);
    expect(
      backoff.observe([container({ state: 'restarting', restartCount: 2 })], T0 + SECOND),
    ).toEqual([]);
    const [hold] = backoff.observe(
      [container({ state: 'restarting', restartCount: 3 })],
      T0 + 2 * SECOND,
    );
    expect(hold).toMatchObject({ kind: 'hold', failures: 1, delayMs: 10_000, crashes: 3 });
    expect(backoff.isHeld('c-crash-1')).toBe(true);

    const stopped = container({ state: 'exited', restartCount: 3, exitCode: 1, startedAt: null });
    expect(backoff.observe([stopped], T0 + 5 * SECOND)).toEqual([]);
    expect(backoff.observe([stopped], T0 + 12 * SECOND)).toEqual([
      { kind: 'retry', name: 'c-crash-1', attempt: 2, waitedMs: 10_000 },
    ]);
    // The try crashed: it waits twice as long.
    expect(backoff.observe([stopped], T0 + 13 * SECOND)).toEqual([
      expect.objectContaining({ kind: 'hold', failures: 2, delayMs: 20_000 }),
    ]);
    expect(backoff.observe([stopped], T0 + 20 * SECOND)).toEqual([]);
    expect(backoff.observe([stopped], T0 + 34 * SECOND)).toEqual([
      expect.objectContaining({ kind: 'retry', attempt: 3 }),
    ]);
    // This try runs: after a minute the engine gets its restarts back.
    const running = container({
      restartCount: 3,
      startedAt: new Date(T0 + 34 * SECOND).toISOString(),
    });
    expect(backoff.observe([running], T0 + 60 * SECOND)).toEqual([]);
    expect(backoff.observe([running], T0 + 95 * SECOND)).toEqual([
      { kind: 'recovered', name: 'c-crash-1', failures: 2 },
    ]);
    expect(backoff.isHeld('c-crash-1')).toBe(false);
  });

  it('never touches a container the user stopped, nor one that crashed long ago', () => {
    const backoff = new CrashBackoff();
    // Restarts from before it was watched are its baseline.
    backoff.observe([container({ restartCount: 7 })], T0);
    const stopped = container({ state: 'exited', restartCount: 7, exitCode: 0, startedAt: null });
    for (let s = 1; s < 600; s += 2)
      expect(backoff.observe([stopped], T0 + s * SECOND)).toEqual([]);
  });

  it('forgets a held container that was recreated (a new id under its name)', () => {
    const backoff = new CrashBackoff();
    backoff.adopt(container(), T0);
    expect(backoff.isHeld('c-crash-1')).toBe(true);
    expect(backoff.observe([container({ id: 'id-2' })], T0 + SECOND)).toEqual([]);
    expect(backoff.isHeld('c-crash-1')).toBe(false);
  });

  it('counts a try started by someone else (up, the console) as a try', () => {
    const backoff = new CrashBackoff();
    backoff.adopt(container(), T0);
    const running = container({ startedAt: new Date(T0 + SECOND).toISOString() });
    expect(backoff.observe([running], T0 + 2 * SECOND)).toEqual([]);
    expect(backoff.observe([running], T0 + 70 * SECOND)).toEqual([
      expect.objectContaining({ kind: 'recovered' }),
    ]);
  });
});
