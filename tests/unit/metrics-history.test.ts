/**
 * metrics.history's read: what a real host monitor (real systeminformation) kept is returned
 * oldest first in the API's shape — also after the monitor paused, which is when a reloaded
 * page asks — and `since` returns only the newer points. No monitor yet: an empty history.
 * The throughput kept from the console's workers readings: jobs per second between readings.
 */
import { describe, expect, it } from 'vitest';
import { readMetricsHistory } from '../../main/api/metrics-history';
import { metricsHistorySchema } from '../../main/shared/schemas/metrics';
import { ThroughputHistory } from '../../main/api/throughput-history';
import { HostMonitor } from '../../main/monitor/host-monitor';
import type { ContainerHistory } from '../../main/monitor';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const worker: ContainerHistory = {
  id: 'c1',
  name: 'guildhall-worker-1',
  service: 'worker',
  points: [
    {
      at: 1_000,
      cpuPercent: 2,
      memoryBytes: 50e6,
      networkRxBytesPerSec: 0,
      networkTxBytesPerSec: 0,
    },
    {
      at: 2_000,
      cpuPercent: null,
      memoryBytes: null,
      networkRxBytesPerSec: null,
      networkTxBytesPerSec: null,
    },
  ],
};

describe('metrics history read', () => {
  it('returns the points a real host monitor kept, after it paused, oldest first', async () => {
    const host = new HostMonitor({ intervalMs: 100, diskIntervalMs: 60_000, historyLength: 50 });
    host.start();
    await sleep(800);
    host.stop(); // nobody looks any more: sampling pauses, the history stays
    await sleep(300);

    const kept = host.history().samples;
    expect(kept.length).toBeGreaterThanOrEqual(3);
    const history = readMetricsHistory({ host: host.history(), containers: [worker] }, []);
    expect(metricsHistorySchema.parse(history)).toEqual(history);
    expect(history.host.map((p) => p.at)).toEqual(kept.map((s) => s.at));
    expect(history.host.every((p, i, all) => i === 0 || p.at > all[i - 1]!.at)).toBe(true);
    for (const point of history.host) {
      expect(point.cpuPercent).toBeGreaterThanOrEqual(0);
      expect(point.cpuPercent).toBeLessThanOrEqual(100);
      expect(point.memoryUsedBytes).toBeGreaterThan(0);
      expect(point.memoryTotalBytes).toBeGreaterThanOrEqual(point.memoryUsedBytes);
    }
    expect(history.containers).toEqual([worker]);

    // Only what came after a given time.
    const middle = kept[1]!.at;
    const newer = readMetricsHistory({ host: host.history(), containers: [worker] }, [], {
      since: middle,
    });
    expect(newer.host.map((p) => p.at)).toEqual(kept.slice(2).map((s) => s.at));
    expect(newer.containers[0]!.points).toEqual([]);
  });

  it('is empty before any monitor ran', () => {
    const history = readMetricsHistory(null, [], { now: 42 });
    expect(history).toEqual({ at: 42, host: [], containers: [], throughput: [] });
  });
});

describe('throughput history', () => {
  const reading = (at: number, processed: number, failed: number) => ({
    at,
    workers: [
      { name: 'w1', heartbeat: { processed, failed } },
      { name: 'w2', heartbeat: null },
    ],
  });

  it('keeps jobs per second between the console’s readings of the workers', () => {
    const history = new ThroughputHistory();
    history.record(reading(10_000, 100, 10));
    expect(history.read()).toEqual([]); // one reading: nothing to compare yet
    history.record(reading(12_000, 120, 14));
    history.record(reading(12_500, 500, 50)); // a second page polling at the same time: skipped
    history.record(reading(14_000, 130, 14));
    expect(history.read()).toEqual([
      { at: 12_000, completedPerSec: 8, failedPerSec: 2 },
      { at: 14_000, completedPerSec: 5, failedPerSec: 0 },
    ]);
    expect(history.read(12_000).map((p) => p.at)).toEqual([14_000]);

    // Nobody looked for a minute: no point averaged across the pause, then on as before.
    history.record(reading(74_000, 200, 20));
    history.record(reading(76_000, 204, 20));
    expect(history.read().map((p) => p.at)).toEqual([12_000, 14_000, 76_000]);
    const wrapped = metricsHistorySchema.parse(readMetricsHistory(null, history.read()));
    expect(wrapped.throughput.at(-1)).toEqual({ at: 76_000, completedPerSec: 2, failedPerSec: 0 });
  });

  it('stays bounded', () => {
    const history = new ThroughputHistory({ capacity: 3 });
    for (let i = 0; i < 10; i++) history.record(reading(i * 2_000, i, 0));
    expect(history.read().map((p) => p.at)).toEqual([14_000, 16_000, 18_000]);
  });
});
