/**
 * When the host monitor reads what: the real systeminformation module, wrapped only to count
 * calls. Nothing before start(), CPU/memory every interval, disks on their slower timer,
 * process lists only when asked, nothing after stop().
 */
import * as si from 'systeminformation';
import { describe, expect, it } from 'vitest';
import { HostMonitor, type SystemInfoSource } from '../../main/monitor/host-monitor';

function countingSi() {
  const calls = { currentLoad: 0, mem: 0, fsSize: 0, processes: 0, cpu: 0, osInfo: 0 };
  const source: SystemInfoSource = {
    currentLoad: () => (calls.currentLoad++, si.currentLoad()),
    mem: () => (calls.mem++, si.mem()),
    fsSize: () => (calls.fsSize++, si.fsSize()),
    processes: () => (calls.processes++, si.processes()),
    cpu: () => (calls.cpu++, si.cpu()),
    osInfo: () => (calls.osInfo++, si.osInfo()),
  };
  return { calls, source };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('HostMonitor schedule', () => {
  it('reads nothing before start, samples per interval, lists processes only on demand', async () => {
    const { calls, source } = countingSi();
    const monitor = new HostMonitor({
      si: source,
      intervalMs: 100,
      diskIntervalMs: 400,
      historyLength: 4,
    });
    let ticks = 0;
    monitor.onTick(() => ticks++);
    await sleep(300);
    expect(calls).toEqual({ currentLoad: 0, mem: 0, fsSize: 0, processes: 0, cpu: 0, osInfo: 0 });
    expect(monitor.latest()).toBeNull();

    monitor.start();
    await sleep(1_250);
    monitor.stop();
    await sleep(50);
    const atStop = { ...calls };
    const ticksAtStop = ticks;

    // ~12 ticks at 100 ms; timers on a loaded 2-core machine may slip a few.
    expect(ticks).toBeGreaterThanOrEqual(6);
    expect(ticks).toBeLessThanOrEqual(13);
    expect(calls.mem).toBeGreaterThanOrEqual(ticks);
    // Disks: once at start, then every 400 ms → about 4, far fewer than the CPU reads.
    expect(calls.fsSize).toBeGreaterThanOrEqual(2);
    expect(calls.fsSize).toBeLessThanOrEqual(5);
    // Host basics once.
    expect(calls.cpu).toBe(1);
    expect(calls.osInfo).toBe(1);
    expect(calls.processes).toBe(0);

    // History is bounded by historyLength.
    const history = monitor.history();
    expect(history.samples).toHaveLength(4);
    expect(history.samples.at(-1)).toBe(monitor.latest()?.sample);
    expect(history.basics?.cores).toBeGreaterThan(0);

    // Stopped: no more reads, no more ticks.
    await sleep(500);
    expect(calls).toEqual(atStop);
    expect(ticks).toBe(ticksAtStop);

    // On demand only.
    const processes = await monitor.processes(5);
    expect(calls.processes).toBe(1);
    expect(processes.length).toBeGreaterThan(0);
    expect(processes.length).toBeLessThanOrEqual(5);
    for (let n = 1; n < processes.length; n++) {
      expect(processes[n - 1]!.cpuPercent).toBeGreaterThanOrEqual(processes[n]!.cpuPercent);
    }
  });

  it('keeps ticking when reads fail, without unhandled rejections', async () => {
    const { source } = countingSi();
    let loadCalls = 0;
    let failed = 0;
    const flaky: SystemInfoSource = {
      ...source,
      // Call 1 primes the counters at start; calls 2 and 3 are the first two ticks' reads.
      currentLoad: () => {
        loadCalls++;
        if (loadCalls === 2 || loadCalls === 3) {
          failed++;
          return Promise.reject(new Error('boom'));
        }
        return source.currentLoad();
      },
      osInfo: () => Promise.reject(new Error('no os info')),
    };
    const monitor = new HostMonitor({ si: flaky, intervalMs: 100 });
    let ticks = 0;
    monitor.onTick(() => ticks++);
    monitor.start();
    await sleep(650);
    monitor.stop();
    expect(failed).toBe(2);
    expect(ticks).toBeGreaterThanOrEqual(2);
    expect(monitor.history().basics).toBeNull();
    await expect(monitor.basics()).rejects.toMatchObject({
      code: 'internal',
      message: expect.stringContaining('no os info'),
    });
  });
});
