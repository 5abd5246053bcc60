/**
 * pollWhileVisible with an event wake source: a wake runs the task early, never alongside a run
 * in progress (a wake during a run runs it once more afterwards), at most every WAKE_GAP_MS, and
 * stopping also stops the wake source.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { pollWhileVisible, WAKE_GAP_MS } from '../../renderer/src/lib/queues/visible-poll';

afterEach(() => {
  vi.useRealTimers();
});

function slowTask(ms: number) {
  let active = 0;
  const runs: number[] = [];
  let maxActive = 0;
  const task = async () => {
    active++;
    maxActive = Math.max(maxActive, active);
    runs.push(Date.now());
    await new Promise((resolve) => setTimeout(resolve, ms));
    active--;
  };
  return { task, runs, maxActive: () => maxActive };
}

describe('pollWhileVisible woken by events', () => {
  it('runs once more after a run that was woken meanwhile, never two at once', async () => {
    vi.useFakeTimers();
    const { task, runs, maxActive } = slowTask(200);
    let wake!: () => void;
    const stopWaking = vi.fn();
    const stop = pollWhileVisible(task, 60_000, {
      wakeOn: (w) => ((wake = w), stopWaking),
    });
    expect(runs).toHaveLength(1); // the first run starts at once
    await vi.advanceTimersByTimeAsync(50);
    wake();
    wake();
    wake();
    await vi.advanceTimersByTimeAsync(2_000);
    expect(runs).toHaveLength(2);
    expect(runs[1]! - runs[0]!).toBeGreaterThanOrEqual(WAKE_GAP_MS);
    expect(maxActive()).toBe(1);

    stop();
    expect(stopWaking).toHaveBeenCalledOnce();
    wake();
    await vi.advanceTimersByTimeAsync(2_000);
    expect(runs).toHaveLength(2);
  });

  it('a wake when idle runs soon, but not sooner than WAKE_GAP_MS after the last run', async () => {
    vi.useFakeTimers();
    const { task, runs } = slowTask(10);
    let wake!: () => void;
    const stop = pollWhileVisible(task, 60_000, { wakeOn: (w) => ((wake = w), () => {}) });
    await vi.advanceTimersByTimeAsync(100);
    wake();
    await vi.advanceTimersByTimeAsync(WAKE_GAP_MS - 150);
    expect(runs).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(100);
    expect(runs).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(WAKE_GAP_MS * 2);
    wake();
    await vi.advanceTimersByTimeAsync(1);
    expect(runs).toHaveLength(3);
    stop();
  });
});
