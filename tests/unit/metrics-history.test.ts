/**
 * metrics.history's read: what a real host monitor (real systeminformation) kept is returned
 * oldest first in the API's shape — also after the monitor paused, which is when a reloaded
 * page asks — and `since` returns only the newer points. No monitor yet: an empty history.
 */
import { describe, expect, it } from 'vitest';
import { readMetricsHistory } from '../../main/api/metrics-history';
import { metricsHistorySchema } from '../../main/api/schemas/metrics';
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
    const history = readMetricsHistory({ host: host.history(), containers: [worker] });
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
    const newer = readMetricsHistory(
      { host: host.history(), containers: [worker] },
      { since: middle },
    );
    expect(newer.host.map((p) => p.at)).toEqual(kept.slice(2).map((s) => s.at));
    expect(newer.containers[0]!.points).toEqual([]);
  });

  it('is empty before any monitor ran', () => {
    const history = readMetricsHistory(null, { now: 42 });
    expect(history).toEqual({ at: 42, host: [], containers: [] });
  });
});
