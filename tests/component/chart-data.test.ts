import { describe, expect, it } from 'vitest';
import { pickColumns, TimeSeriesBuffer } from '../../renderer/src/lib/charts/series';
import {
  hostPointOf,
  parseMetricsTick,
  throughputBetween,
} from '../../renderer/src/lib/metrics/metrics-tick';
import { HOST_SERIES, MetricsModel } from '../../renderer/src/lib/metrics/metrics-model';

/** A monitor tick shaped as main/monitor publishes it. */
function tick(at: number, cpu: number, used: number, workers: Record<string, unknown>[] = []) {
  return {
    at,
    host: {
      at,
      sample: {
        at,
        cpu: { totalPercent: cpu, perCorePercent: [cpu, cpu] },
        memory: { usedBytes: used, totalBytes: 8 * 2 ** 30, availableBytes: 8 * 2 ** 30 - used },
      },
      disk: null,
    },
    containers: { at, containers: workers },
  };
}

function worker(name: string, fields: Record<string, unknown> = {}) {
  return {
    id: `id-${name}`,
    name,
    service: 'worker',
    number: 1,
    state: 'running',
    restartCount: 0,
    exitCode: null,
    oomKilled: false,
    cpuPercent: 3.5,
    memoryBytes: 50_000_000,
    memoryLimitBytes: 268_435_456,
    networkRxBytes: null,
    networkTxBytes: null,
    networkRxBytesPerSec: null,
    networkTxBytesPerSec: null,
    sampledAt: null,
    ...fields,
  };
}

describe('bounded time series', () => {
  it('keeps the last N points when pushed beyond capacity', () => {
    const series = new TimeSeriesBuffer(3, 1);
    for (let i = 1; i <= 5; i++) series.push(i * 1000, [i * 10]);
    expect(series.length).toBe(3);
    expect(series.columns()).toEqual([
      [3, 4, 5],
      [30, 40, 50],
    ]);
    expect(series.latest(0)).toBe(50);
  });

  it('lays points out as uPlot columns: x in seconds, then one array per series', () => {
    const series = new TimeSeriesBuffer(10, 2);
    series.push(1_700_000_000_000, [12.5, 100]);
    series.push(1_700_000_001_000, [null, 200]);
    series.push(1_700_000_002_000, [Number.NaN, undefined]);
    const [x, a, b] = series.columns();
    expect(x).toEqual([1_700_000_000, 1_700_000_001, 1_700_000_002]);
    expect(a).toEqual([12.5, null, null]);
    expect(b).toEqual([100, 200, null]);
    expect(pickColumns(series.columns(), 1)).toEqual([x, b]);
  });

  it('replaces a point that is not later than the last, so x keeps increasing', () => {
    const series = new TimeSeriesBuffer(5, 1);
    series.push(2000, [1]);
    series.push(2000, [2]);
    series.push(1500, [3]);
    expect(series.columns()).toEqual([[2], [3]]);
  });

  it('hands out snapshots that later pushes do not change', () => {
    const series = new TimeSeriesBuffer(2, 1);
    series.push(1000, [1]);
    const before = series.columns();
    series.push(2000, [2]);
    series.push(3000, [3]);
    expect(before).toEqual([[1], [1]]);
  });
});

describe('metrics ticks', () => {
  it('map to host chart points (CPU clamped to 0–100)', () => {
    const parsed = parseMetricsTick(tick(5000, 104, 3 * 2 ** 30))!;
    expect(hostPointOf(parsed)).toEqual({
      at: 5000,
      cpuPercent: 100,
      memoryUsedBytes: 3 * 2 ** 30,
      memoryTotalBytes: 8 * 2 ** 30,
    });
    expect(hostPointOf({ ...parsed, host: null })).toBeNull();
    expect(parseMetricsTick({ hello: 'world' })).toBeNull();
  });

  it('fill the bounded host series and the per-container view, tick by tick', () => {
    const model = new MetricsModel();
    const capacity = model.host.capacity;
    for (let i = 0; i < capacity + 20; i++)
      model.ingest(tick(1_000_000 + i * 1000, i % 100, 1000 + i, [worker('gh-worker-1')]));
    const columns = model.host.columns();
    expect(columns[0]).toHaveLength(capacity);
    expect(columns[0]![0]).toBe((1_000_000 + 20 * 1000) / 1000);
    expect(columns[HOST_SERIES.memoryUsedBytes + 1]!.at(-1)).toBe(1000 + capacity + 19);
    expect(model.memoryTotalBytes).toBe(8 * 2 ** 30);
    expect(model.containers.get('gh-worker-1')?.cpuPercent).toBe(3.5);
  });

  it('mark the workers the core’s alert monitor reports crash-looping, with their exit code', () => {
    const model = new MetricsModel();
    const crashLoop = {
      kind: 'worker-crash-loop',
      id: 'worker-crash-loop:gh-worker-2',
      subject: 'gh-worker-2',
      worker: 'gh-worker-2',
      message: 'Worker gh-worker-2 crashed 4 times in the last 10 minutes.',
      raisedAt: 10_000_000,
      restarts: 4,
      windowMs: 600_000,
      lastExitCode: 137,
      oomKilled: true,
    };
    expect(model.ingestAlerts({ active: [crashLoop] })).toBe(true);
    expect(model.crashLoops.get('gh-worker-2')).toMatchObject({
      lastExitCode: 137,
      oomKilled: true,
    });
    // A rising restart count in the metrics ticks alone is not the console's to judge.
    model.ingest(tick(10_005_000, 5, 1000, [worker('gh-worker-3', { restartCount: 9 })]));
    expect(model.crashLoops.has('gh-worker-3')).toBe(false);
    expect(model.ingestAlerts({ active: [] })).toBe(true);
    expect(model.crashLoops.size).toBe(0);
    expect(model.ingestAlerts({ hello: 'world' })).toBe(false);
  });

  it('give completed and failed jobs per second from heartbeat counters', () => {
    const before = [
      { name: 'w1', processed: 10, failed: 1 },
      { name: 'w2', processed: 50, failed: 0 },
    ];
    const after = [
      { name: 'w1', processed: 30, failed: 5 },
      // w2 restarted: its counters began again.
      { name: 'w2', processed: 4, failed: 0 },
      // w3 is new: nothing to compare yet.
      { name: 'w3', processed: 99, failed: 9 },
    ];
    expect(throughputBetween(before, after, 2)).toEqual({ completedPerSec: 10, failedPerSec: 2 });
    expect(throughputBetween(before, after, 0)).toEqual({ completedPerSec: 0, failedPerSec: 0 });
  });
});

describe('kept history', () => {
  const GiB = 2 ** 30;
  const kept = (at: number, cpu: number) => ({
    at,
    cpuPercent: cpu,
    memoryUsedBytes: 2 * GiB,
    memoryTotalBytes: 8 * GiB,
  });

  it('goes before the live ticks that came first, with a break where the monitor paused', () => {
    const model = new MetricsModel();
    // Live ticks that came before the history did: the one it also holds counts once.
    model.ingest(tick(11_000, 45, 3 * GiB));
    model.ingest(tick(12_000, 50, 3 * GiB));
    model.seedHost([kept(1_000, 10), kept(2_000, 120), kept(10_000, 30), kept(11_000, 40)]);
    const [x, cpu] = pickColumns(model.host.columns(), HOST_SERIES.cpuPercent);
    // 2 s → 10 s is a pause: a null point breaks the line.
    expect(x).toEqual([1, 2, 2.001, 10, 11, 12]);
    expect(cpu).toEqual([10, 100, null, 30, 40, 50]);
    expect(model.memoryTotalBytes).toBe(8 * GiB);

    model.ingest(tick(13_000, 60, 3 * GiB));
    expect(model.host.columns()[0].at(-1)).toBe(13);
    expect(model.host.latest(HOST_SERIES.cpuPercent)).toBe(60);
  });

  it('keeps live ticks newer than the history', () => {
    const model = new MetricsModel();
    model.ingest(tick(5_000, 50, 3 * GiB));
    model.ingest(tick(6_000, 55, 3 * GiB));
    model.seedHost([kept(3_000, 10), kept(4_000, 20)]);
    expect(model.host.columns()[0]).toEqual([3, 4, 5, 6]);
    expect(model.host.latest(HOST_SERIES.memoryUsedBytes)).toBe(3 * GiB);
  });
});
