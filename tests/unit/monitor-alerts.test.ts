/** The pure alert rules in main/monitor/alerts.ts (crash loops, failure spikes, de-duplication). */
import { describe, expect, it } from 'vitest';
import { WORKER_EXIT_CODES } from '../../main/shared/worker-contract';
import {
  AlertMonitor,
  CRASH_LOOP,
  crashLoopId,
  isCrashLoop,
  failureSpikeId,
  type MonitorSample,
  type QueueSample,
  type WorkerSample,
} from '../../main/monitor/alerts';

const SECOND = 1_000;
const MINUTE = 60 * SECOND;
const T0 = Date.UTC(2026, 0, 1);
/** Most cases below were written for a 2-minute window; the default is CRASH_LOOP's. */
const TWO_MINUTES = { crashLoopWindowMs: 2 * MINUTE };

function worker(overrides: Partial<WorkerSample> = {}): WorkerSample {
  return {
    name: 'g-worker-1',
    id: 'c1',
    restartCount: 0,
    state: 'running',
    exitCode: null,
    ...overrides,
  };
}

function at(
  ms: number,
  workers: WorkerSample[],
  queues: QueueSample[] | null = null,
): MonitorSample {
  return { at: T0 + ms, workers, queues };
}

describe('worker crash loops', () => {
  it('treats the first sample as a baseline, however many restarts it shows', () => {
    const alerts = new AlertMonitor(TWO_MINUTES);
    expect(alerts.observe(at(0, [worker({ restartCount: 40 })]))).toEqual([]);
    expect(alerts.observe(at(5 * SECOND, [worker({ restartCount: 40 })]))).toEqual([]);
    expect(alerts.active()).toEqual([]);
  });

  it('raises once for 3 restarts within 2 minutes, with a readable message', () => {
    const alerts = new AlertMonitor(TWO_MINUTES);
    alerts.observe(at(0, [worker({ restartCount: 2 })]));
    expect(alerts.observe(at(20 * SECOND, [worker({ restartCount: 3, exitCode: 1 })]))).toEqual([]);
    expect(alerts.observe(at(40 * SECOND, [worker({ restartCount: 4, exitCode: 1 })]))).toEqual([]);
    const update = alerts.evaluate(at(60 * SECOND, [worker({ restartCount: 5, exitCode: 1 })]));
    expect(update.raised).toHaveLength(1);
    const alert = update.raised[0]!;
    expect(alert).toMatchObject({
      id: crashLoopId('g-worker-1'),
      kind: 'worker-crash-loop',
      subject: 'g-worker-1',
      worker: 'g-worker-1',
      restarts: 3,
      windowMs: 2 * MINUTE,
      lastExitCode: 1,
      oomKilled: false,
      raisedAt: T0 + 60 * SECOND,
    });
    expect(alert.message).toContain('g-worker-1');
    expect(alert.message).toContain('3 times');
    expect(alert.message).toContain('exit code 1');
    expect(update.active).toEqual([alert]);
  });

  it('counts several restarts between two samples', () => {
    const alerts = new AlertMonitor(TWO_MINUTES);
    alerts.observe(at(0, [worker()]));
    expect(
      alerts.observe(at(10 * SECOND, [worker({ restartCount: 4, state: 'restarting' })])),
    ).toMatchObject([{ kind: 'worker-crash-loop', restarts: 4 }]);
  });

  it('does not re-raise while the loop goes on', () => {
    const alerts = new AlertMonitor(TWO_MINUTES);
    alerts.observe(at(0, [worker()]));
    expect(alerts.observe(at(10 * SECOND, [worker({ restartCount: 3 })]))).toHaveLength(1);
    for (let i = 1; i <= 20; i++) {
      const update = alerts.evaluate(
        at(10 * SECOND + i * 10 * SECOND, [worker({ restartCount: 3 + i })]),
      );
      expect(update.raised).toEqual([]);
      expect(update.cleared).toEqual([]);
      expect(update.active).toHaveLength(1);
    }
  });

  it('ignores restarts spread wider than the window', () => {
    const alerts = new AlertMonitor(TWO_MINUTES);
    alerts.observe(at(0, [worker()]));
    expect(alerts.observe(at(1 * MINUTE, [worker({ restartCount: 1 })]))).toEqual([]);
    expect(alerts.observe(at(2 * MINUTE, [worker({ restartCount: 2 })]))).toEqual([]);
    // The first restart is now older than 2 minutes: only 2 inside the window.
    expect(alerts.observe(at(3 * MINUTE + SECOND, [worker({ restartCount: 3 })]))).toEqual([]);
  });

  it('clears after a whole window without crashes, then can be raised again', () => {
    const alerts = new AlertMonitor(TWO_MINUTES);
    alerts.observe(at(0, [worker()]));
    const [first] = alerts.observe(at(10 * SECOND, [worker({ restartCount: 3 })]));
    expect(first).toBeDefined();
    // Still inside the window of the last crash: stays active.
    expect(alerts.evaluate(at(2 * MINUTE, [worker({ restartCount: 3 })])).cleared).toEqual([]);
    const later = alerts.evaluate(at(2 * MINUTE + 11 * SECOND, [worker({ restartCount: 3 })]));
    expect(later.cleared).toEqual([first]);
    expect(later.active).toEqual([]);
    // A new loop is a new alert.
    expect(alerts.observe(at(3 * MINUTE, [worker({ restartCount: 6 })]))).toMatchObject([
      { id: crashLoopId('g-worker-1'), restarts: 3, raisedAt: T0 + 3 * MINUTE },
    ]);
  });

  it('counts a worker exiting non-zero again and again (re-created each time)', () => {
    const alerts = new AlertMonitor(TWO_MINUTES);
    alerts.observe(at(0, [worker({ id: 'a' })]));
    let raised = alerts.observe(
      at(5 * SECOND, [worker({ id: 'a', state: 'exited', exitCode: 1 })]),
    );
    raised.push(...alerts.observe(at(10 * SECOND, [worker({ id: 'b' })])));
    raised.push(
      ...alerts.observe(at(15 * SECOND, [worker({ id: 'b', state: 'exited', exitCode: 1 })])),
    );
    raised.push(...alerts.observe(at(20 * SECOND, [worker({ id: 'c' })])));
    expect(raised).toEqual([]);
    raised = alerts.observe(
      at(25 * SECOND, [worker({ id: 'c', state: 'dead', exitCode: 137, oomKilled: true })]),
    );
    expect(raised).toHaveLength(1);
    expect(raised[0]).toMatchObject({ restarts: 3, lastExitCode: 137, oomKilled: true });
    expect(raised[0]!.message).toContain('out of memory');
  });

  it('does not count an exit and the restart that follows it twice', () => {
    const alerts = new AlertMonitor(TWO_MINUTES);
    alerts.observe(at(0, [worker()]));
    const cycle = [
      worker({ state: 'exited', exitCode: 1, restartCount: 0 }),
      worker({ state: 'running', exitCode: 1, restartCount: 1 }),
      worker({ state: 'exited', exitCode: 1, restartCount: 1 }),
      worker({ state: 'running', exitCode: 1, restartCount: 2 }),
    ];
    cycle.forEach((w, i) => expect(alerts.observe(at((i + 1) * SECOND, [w]))).toEqual([]));
    // Third crash.
    expect(
      alerts.observe(at(10 * SECOND, [worker({ state: 'exited', exitCode: 1, restartCount: 2 })])),
    ).toMatchObject([{ restarts: 3 }]);
  });

  it('does not count a clean exit (code 0) or a stop', () => {
    const alerts = new AlertMonitor(TWO_MINUTES);
    alerts.observe(at(0, [worker({ id: 'a' })]));
    for (let i = 1; i <= 6; i++) {
      const state = i % 2 === 1 ? 'exited' : 'running';
      expect(
        alerts.observe(
          at(i * SECOND, [
            worker({ id: `c${Math.ceil(i / 2)}`, state, exitCode: i % 2 === 1 ? 0 : null }),
          ]),
        ),
      ).toEqual([]);
    }
  });

  it('does not count a re-created container with a lower restart count', () => {
    const alerts = new AlertMonitor(TWO_MINUTES);
    alerts.observe(at(0, [worker({ id: 'old', restartCount: 9 })]));
    expect(alerts.observe(at(SECOND, [worker({ id: 'new', restartCount: 0 })]))).toEqual([]);
    expect(alerts.observe(at(2 * SECOND, [worker({ id: 'new', restartCount: 2 })]))).toEqual([]);
    expect(alerts.observe(at(3 * SECOND, [worker({ id: 'new', restartCount: 3 })]))).toMatchObject([
      { restarts: 3 },
    ]);
  });

  it('keeps workers apart and clears the alert of a worker that is gone', () => {
    const alerts = new AlertMonitor(TWO_MINUTES);
    const a = (rc: number) => worker({ name: 'g-worker-1', id: 'a', restartCount: rc });
    const b = (rc: number) => worker({ name: 'g-worker-2', id: 'b', restartCount: rc });
    alerts.observe(at(0, [a(0), b(0)]));
    const raised = alerts.observe(at(SECOND, [a(3), b(2)]));
    expect(raised.map((r) => r.subject)).toEqual(['g-worker-1']);
    const update = alerts.evaluate(at(2 * SECOND, [b(2)]));
    expect(update.cleared.map((r) => r.id)).toEqual([crashLoopId('g-worker-1')]);
    expect(update.active).toEqual([]);
  });
});

describe('queue failure spikes', () => {
  const q = (failed: number, completed?: number): QueueSample =>
    completed === undefined ? { name: 'emails', failed } : { name: 'emails', failed, completed };

  it('treats the first sample as a baseline', () => {
    const alerts = new AlertMonitor(TWO_MINUTES);
    expect(alerts.observe(at(0, [], [q(5_000)]))).toEqual([]);
    expect(alerts.observe(at(SECOND, [], [q(5_000)]))).toEqual([]);
  });

  it('raises when 10 jobs fail within a minute', () => {
    const alerts = new AlertMonitor(TWO_MINUTES);
    alerts.observe(at(0, [], [q(100)]));
    expect(alerts.observe(at(20 * SECOND, [], [q(105)]))).toEqual([]);
    const raised = alerts.observe(at(40 * SECOND, [], [q(110)]));
    expect(raised).toHaveLength(1);
    expect(raised[0]).toMatchObject({
      id: failureSpikeId('emails'),
      kind: 'queue-failure-spike',
      subject: 'emails',
      queue: 'emails',
      failures: 10,
      completed: null,
      windowMs: MINUTE,
    });
    expect(raised[0]!.message).toContain('"emails"');
    expect(raised[0]!.message).toContain('10 jobs failed');
  });

  it('stays quiet when the failures are a small share of the finished jobs', () => {
    const alerts = new AlertMonitor(TWO_MINUTES);
    alerts.observe(at(0, [], [q(0, 0)]));
    // 12 failed, 500 completed: 2.3 %.
    expect(alerts.observe(at(30 * SECOND, [], [q(12, 500)]))).toEqual([]);
  });

  it('raises when failures are a large share of the finished jobs', () => {
    const alerts = new AlertMonitor(TWO_MINUTES);
    alerts.observe(at(0, [], [q(0, 0)]));
    const raised = alerts.observe(at(30 * SECOND, [], [q(12, 20)]));
    expect(raised).toMatchObject([{ failures: 12, completed: 20 }]);
    expect(raised[0]!.message).toContain('38 %');
  });

  it('needs the failures inside one window', () => {
    const alerts = new AlertMonitor(TWO_MINUTES);
    alerts.observe(at(0, [], [q(0)]));
    expect(alerts.observe(at(30 * SECOND, [], [q(6)]))).toEqual([]);
    // The first 6 are older than a minute now: 6 in the window.
    expect(alerts.observe(at(91 * SECOND, [], [q(12)]))).toEqual([]);
  });

  it('takes a smaller failed count as a new baseline, not as negative failures', () => {
    const alerts = new AlertMonitor(TWO_MINUTES);
    alerts.observe(at(0, [], [q(50)]));
    expect(alerts.observe(at(SECOND, [], [q(0)]))).toEqual([]); // failed jobs cleaned
    expect(alerts.observe(at(2 * SECOND, [], [q(9)]))).toEqual([]);
    expect(alerts.observe(at(3 * SECOND, [], [q(10)]))).toMatchObject([{ failures: 10 }]);
  });

  it('is not re-raised while active, clears when failures age out, then can come back', () => {
    const alerts = new AlertMonitor(TWO_MINUTES);
    alerts.observe(at(0, [], [q(0)]));
    const [first] = alerts.observe(at(10 * SECOND, [], [q(10)]));
    expect(first).toBeDefined();
    expect(alerts.evaluate(at(20 * SECOND, [], [q(30)])).raised).toEqual([]);
    expect(alerts.evaluate(at(69 * SECOND, [], [q(30)])).cleared).toEqual([]);
    const cleared = alerts.evaluate(at(81 * SECOND, [], [q(30)]));
    expect(cleared.cleared).toEqual([first]);
    expect(cleared.active).toEqual([]);
    expect(alerts.observe(at(90 * SECOND, [], [q(45)]))).toMatchObject([{ failures: 15 }]);
  });

  it('keeps queue baselines while Redis cannot be read', () => {
    const alerts = new AlertMonitor(TWO_MINUTES);
    alerts.observe(at(0, [], [q(0)]));
    expect(alerts.observe(at(10 * SECOND, [], null))).toEqual([]);
    expect(alerts.observe(at(20 * SECOND, [], [q(10)]))).toMatchObject([{ failures: 10 }]);
    // A null read does not clear it either.
    expect(alerts.evaluate(at(25 * SECOND, [], null)).active).toHaveLength(1);
  });

  it('clears the alert of a queue that is gone', () => {
    const alerts = new AlertMonitor(TWO_MINUTES);
    alerts.observe(at(0, [], [q(0)]));
    alerts.observe(at(SECOND, [], [q(10)]));
    expect(alerts.evaluate(at(2 * SECOND, [], [])).cleared.map((a) => a.id)).toEqual([
      failureSpikeId('emails'),
    ]);
  });
});

describe('thresholds, cooldown and reset', () => {
  it('uses custom thresholds', () => {
    const alerts = new AlertMonitor({ crashLoopRestarts: 2, failureSpikeCount: 3 });
    alerts.observe(at(0, [worker()], [{ name: 'x', failed: 0 }]));
    const raised = alerts.observe(
      at(SECOND, [worker({ restartCount: 2 })], [{ name: 'x', failed: 3 }]),
    );
    expect(raised.map((a) => a.kind)).toEqual(['worker-crash-loop', 'queue-failure-spike']);
  });

  it('holds a cleared alert back for the cooldown', () => {
    const alerts = new AlertMonitor({ ...TWO_MINUTES, cooldownMs: 10 * MINUTE });
    alerts.observe(at(0, [worker()]));
    expect(alerts.observe(at(SECOND, [worker({ restartCount: 3 })]))).toHaveLength(1);
    expect(alerts.evaluate(at(3 * MINUTE, [worker({ restartCount: 3 })])).cleared).toHaveLength(1);
    expect(alerts.observe(at(4 * MINUTE, [worker({ restartCount: 6 })]))).toEqual([]);
    expect(alerts.observe(at(11 * MINUTE, [worker({ restartCount: 9 })]))).toHaveLength(1);
  });

  it('forgets baselines and alerts on reset', () => {
    const alerts = new AlertMonitor(TWO_MINUTES);
    alerts.observe(at(0, [worker()]));
    alerts.observe(at(SECOND, [worker({ restartCount: 3 })]));
    expect(alerts.active()).toHaveLength(1);
    alerts.reset();
    expect(alerts.active()).toEqual([]);
    // After a reset the next sample is a baseline again.
    expect(alerts.observe(at(2 * SECOND, [worker({ restartCount: 10 })]))).toEqual([]);
  });
});

describe('the one crash-loop rule', () => {
  it('is 3 crashes within 10 minutes, and the monitor uses it by default', () => {
    expect(CRASH_LOOP).toEqual({ crashes: 3, windowMs: 10 * MINUTE });
    expect(isCrashLoop([T0, T0 + MINUTE, T0 + 9 * MINUTE], T0 + 9 * MINUTE)).toBe(true);
    expect(isCrashLoop([T0, T0 + MINUTE, T0 + 9 * MINUTE], T0 + 10 * MINUTE)).toBe(false);
    expect(isCrashLoop([T0, T0 + SECOND], T0 + SECOND)).toBe(false);
    const alerts = new AlertMonitor();
    alerts.observe(at(0, [worker()]));
    expect(alerts.observe(at(3 * MINUTE, [worker({ restartCount: 1 })]))).toEqual([]);
    expect(alerts.observe(at(6 * MINUTE, [worker({ restartCount: 2 })]))).toEqual([]);
    expect(alerts.observe(at(9 * MINUTE, [worker({ restartCount: 3 })]))).toMatchObject([
      { windowMs: 10 * MINUTE, restarts: 3 },
    ]);
  });

  it('does not count exits to reload processor files (exit code 75) as crashes', () => {
    const alerts = new AlertMonitor();
    alerts.observe(at(0, [worker({ id: 'a' })]));
    for (let i = 1; i <= 6; i++) {
      const exited = i % 2 === 1;
      const sample = worker({
        id: 'a',
        state: exited ? 'exited' : 'running',
        exitCode: exited ? WORKER_EXIT_CODES.reload : null,
      });
      expect(alerts.observe(at(i * SECOND, [sample]))).toEqual([]);
    }
  });

  it('tells its listeners about raises and clears, whoever fed the sample', () => {
    const alerts = new AlertMonitor(TWO_MINUTES);
    const seen: string[] = [];
    alerts.onChange(({ raised, cleared }) => {
      seen.push(...raised.map((a) => `raised ${a.subject}`));
      seen.push(...cleared.map((a) => `cleared ${a.subject}`));
    });
    alerts.observe(at(0, [worker()]));
    alerts.observe(at(SECOND, [worker({ restartCount: 3 })]));
    alerts.observe(at(2 * SECOND, [worker({ restartCount: 3 })]));
    alerts.reset();
    expect(seen).toEqual(['raised g-worker-1', 'cleared g-worker-1']);
  });
});
