/**
 * One container's live stats from the engine (`stats?stream=true`, about one sample per
 * second), parsed into readings. A stream costs the core less CPU than polling one-shot stats
 * (figures in tests/bench/REPORT.md) and keeps counting across restarts of the same container.
 */
import type { ClusterContainers } from '../cluster/containers';
import {
  cpuCounterReset,
  parseContainerStats,
  readStats,
  type StatsReading,
} from './container-stats';
import { followJsonLines } from '../util/json-lines';

export interface StatsStreamHandlers {
  onReading(reading: StatsReading): void;
  /** The container's CPU counters went backwards: it restarted since the previous sample. */
  onRestartSeen?(): void;
  /** The stream ended (container removed, engine gone) or failed. */
  onClose?(error?: Error): void;
}

export interface StatsStream {
  close(): void;
}

export async function openStatsStream(
  containers: ClusterContainers,
  containerId: string,
  handlers: StatsStreamHandlers,
): Promise<StatsStream> {
  const stream = await containers.stats(containerId);
  let previous: StatsReading | null = null;
  const close = followJsonLines(stream, {
    onValue(value) {
      const sample = parseContainerStats(value);
      if (!sample) return;
      if (cpuCounterReset(sample)) {
        previous = null;
        handlers.onRestartSeen?.();
      }
      const reading = readStats(sample, previous);
      previous = reading;
      handlers.onReading(reading);
    },
    onClose: (error) => handlers.onClose?.(error),
  });
  return { close };
}
