/**
 * Reads the monitor's kept history (main/monitor ring buffers) into the API's shape: host points
 * trimmed to what the charts draw (CPU load and memory in use), container points as kept, with
 * the kept throughput points; all oldest first and optionally only those after a given time.
 * No monitor yet: no host or container points.
 */
import type { MonitorHistory } from '../monitor';
import type { z } from 'zod';
import type { metricsHistorySchema } from '@shared/schemas/metrics';
import type { ThroughputPoint } from './throughput-history';

export type MetricsHistory = z.output<typeof metricsHistorySchema>;

export interface ReadHistoryOptions {
  /** Only points taken after this time (epoch ms). */
  since?: number;
  now?: number;
}

export function readMetricsHistory(
  history: MonitorHistory | null,
  throughput: readonly ThroughputPoint[],
  options: ReadHistoryOptions = {},
): MetricsHistory {
  const at = options.now ?? Date.now();
  const after = (point: { at: number }) => options.since === undefined || point.at > options.since;
  const kept = throughput.filter(after);
  if (!history) return { at, host: [], containers: [], throughput: kept };
  return {
    at,
    host: history.host.samples.filter(after).map((sample) => ({
      at: sample.at,
      cpuPercent: sample.cpu.totalPercent,
      memoryUsedBytes: sample.memory.usedBytes,
      memoryTotalBytes: sample.memory.totalBytes,
    })),
    containers: history.containers.map((container) => ({
      id: container.id,
      name: container.name,
      service: container.service,
      points: container.points.filter(after),
    })),
    throughput: kept,
  };
}
