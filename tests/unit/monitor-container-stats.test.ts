/**
 * Arithmetic of the docker-stats numbers on synthetic samples with known answers. The same
 * functions are checked against a sample captured from a real container in
 * tests/integration/monitor.test.ts.
 */
import { describe, expect, it } from 'vitest';
import {
  cpuCounterReset,
  cpuPercent,
  memoryLimitBytes,
  memoryUsedBytes,
  networkTotals,
  parseContainerStats,
  readStats,
  type ContainerStatsSample,
} from '../../main/monitor/container-stats';

function sample(overrides: Partial<ContainerStatsSample> = {}): ContainerStatsSample {
  return {
    read: '2026-01-01T00:00:02.000Z',
    preread: '2026-01-01T00:00:01.000Z',
    cpu_stats: {
      cpu_usage: { total_usage: 1_500_000_000, percpu_usage: [750_000_000, 750_000_000] },
      system_cpu_usage: 20_000_000_000,
      online_cpus: 4,
    },
    precpu_stats: {
      cpu_usage: { total_usage: 1_000_000_000 },
      system_cpu_usage: 16_000_000_000,
      online_cpus: 4,
    },
    memory_stats: { usage: 100_000, limit: 1_000_000, stats: { inactive_file: 30_000 } },
    networks: {
      eth0: { rx_bytes: 1_000, tx_bytes: 200 },
      eth1: { rx_bytes: 24, tx_bytes: 6 },
    },
    ...overrides,
  };
}

describe('cpuPercent', () => {
  it('is cpu_delta / system_delta × online_cpus × 100', () => {
    // 0.5e9 / 4e9 × 4 × 100 = 50
    expect(cpuPercent(sample())).toBeCloseTo(50, 10);
  });

  it('can exceed 100 % when several cores are busy', () => {
    const s = sample({
      cpu_stats: {
        cpu_usage: { total_usage: 3_500_000_000 },
        system_cpu_usage: 20_000_000_000,
        online_cpus: 4,
      },
    });
    // The host's 4 CPUs ran 4e9 ns (1 s each); the container used 2.5e9 ns: 2.5 cores.
    // 2.5e9 / 4e9 × 4 × 100 = 250
    expect(cpuPercent(s)).toBeCloseTo(250, 10);
  });

  it('falls back to the per-CPU list when online_cpus is missing', () => {
    const s = sample({
      cpu_stats: {
        cpu_usage: { total_usage: 1_500_000_000, percpu_usage: [1, 2] },
        system_cpu_usage: 20_000_000_000,
      },
    });
    // 0.5e9 / 4e9 × 2 × 100 = 25
    expect(cpuPercent(s)).toBeCloseTo(25, 10);
  });

  it('is null without a previous reading (first sample of a stream)', () => {
    const s = sample({ precpu_stats: { cpu_usage: { total_usage: 0 } } });
    expect(cpuPercent(s)).toBeNull();
  });

  it('is null when the counters went backwards (restart), and the reset is detected', () => {
    const s = sample({
      cpu_stats: {
        cpu_usage: { total_usage: 10_000 },
        system_cpu_usage: 20_000_000_000,
        online_cpus: 4,
      },
    });
    expect(cpuPercent(s)).toBeNull();
    expect(cpuCounterReset(s)).toBe(true);
    expect(cpuCounterReset(sample())).toBe(false);
  });

  it('is 0 for an idle container', () => {
    const s = sample({
      cpu_stats: {
        cpu_usage: { total_usage: 1_000_000_000 },
        system_cpu_usage: 20_000_000_000,
        online_cpus: 4,
      },
    });
    expect(cpuPercent(s)).toBe(0);
  });
});

describe('memoryUsedBytes', () => {
  it('subtracts inactive_file on cgroup v2', () => {
    expect(memoryUsedBytes(sample())).toBe(70_000);
  });

  it('subtracts total_inactive_file on cgroup v1, not the whole cache', () => {
    const s = sample({
      memory_stats: {
        usage: 100_000,
        limit: 1_000_000,
        stats: { cache: 50_000, total_inactive_file: 20_000, inactive_file: 20_000 },
      },
    });
    expect(memoryUsedBytes(s)).toBe(80_000);
  });

  it('subtracts cache on cgroup v1 engines that report no total_inactive_file', () => {
    const s = sample({
      memory_stats: { usage: 100_000, limit: 1_000_000, stats: { cache: 40_000 } },
    });
    expect(memoryUsedBytes(s)).toBe(60_000);
  });

  it('keeps the raw usage when the reclaimable part is not smaller than it', () => {
    const s = sample({ memory_stats: { usage: 100, stats: { inactive_file: 500 } } });
    expect(memoryUsedBytes(s)).toBe(100);
  });

  it('is null without memory stats (stopped container)', () => {
    expect(memoryUsedBytes(sample({ memory_stats: {} }))).toBeNull();
  });

  it('reports the limit', () => {
    expect(memoryLimitBytes(sample())).toBe(1_000_000);
    expect(memoryLimitBytes(sample({ memory_stats: { usage: 1 } }))).toBeNull();
  });
});

describe('network', () => {
  it('sums every interface', () => {
    expect(networkTotals(sample())).toEqual({ rxBytes: 1_024, txBytes: 206 });
    expect(networkTotals(sample({ networks: undefined }))).toBeNull();
  });

  it('computes rates between two readings of the same stream', () => {
    const first = readStats(sample(), null);
    expect(first.readAt).toBe(Date.parse('2026-01-01T00:00:02.000Z'));
    expect(first.networkRxBytesPerSec).toBeNull();
    const second = readStats(
      sample({
        read: '2026-01-01T00:00:04.000Z',
        networks: { eth0: { rx_bytes: 3_024, tx_bytes: 606 } },
      }),
      first,
    );
    expect(second.networkRxBytes).toBe(3_024);
    // (3024 − 1024) / 2 s and (606 − 206) / 2 s
    expect(second.networkRxBytesPerSec).toBe(1_000);
    expect(second.networkTxBytesPerSec).toBe(200);
  });

  it('gives no rate when counters reset', () => {
    const first = readStats(sample(), null);
    const second = readStats(
      sample({
        read: '2026-01-01T00:00:03.000Z',
        networks: { eth0: { rx_bytes: 5, tx_bytes: 5 } },
      }),
      first,
    );
    expect(second.networkRxBytesPerSec).toBeNull();
    expect(second.networkTxBytesPerSec).toBeNull();
  });
});

describe('parseContainerStats', () => {
  it('accepts an engine sample and drops fields it does not use', () => {
    const parsed = parseContainerStats({ ...sample(), pids_stats: { current: 3 }, name: '/x' });
    expect(parsed).not.toBeNull();
    expect(parsed && 'pids_stats' in parsed).toBe(false);
    expect(cpuPercent(parsed!)).toBeCloseTo(50, 10);
  });

  it('rejects what is not a stats sample', () => {
    expect(parseContainerStats('nope')).toBeNull();
    expect(parseContainerStats({ cpu_stats: { cpu_usage: 'x' } })).toBeNull();
  });
});
