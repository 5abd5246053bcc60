/**
 * Containers' CPU and memory read at a slow cadence without holding a stats stream open per
 * container: one one-shot engine read per container each time it is asked, CPU computed over
 * the time since the previous read of the same container (so a 5 s cadence gives 5 s averages)
 * by the same rule `docker stats` uses (container-stats.ts). The history recorder uses it; the
 * live charts keep their 1 s streams (container-monitor.ts).
 */
import type { ClusterContainers } from '../cluster/containers';
import {
  cpuPercent,
  memoryUsedBytes,
  parseContainerStats,
  type ContainerStatsSample,
} from './container-stats';

export interface UsageTarget {
  /** The container's id (what the engine is asked). */
  id: string;
  /** What the caller names it by (returned as is). */
  key: string;
}

export interface ContainerUsage {
  key: string;
  /** Percent of one core since the previous read; null on the first read or after a restart. */
  cpuPercent: number | null;
  memoryBytes: number | null;
}

type CpuStats = NonNullable<ContainerStatsSample['cpu_stats']>;

export class ContainerUsageSampler {
  private previous = new Map<string, CpuStats>();

  constructor(private readonly containers: ClusterContainers) {}

  /** Reads every target once (in parallel); a container the engine does not answer for is left out. */
  async sample(targets: readonly UsageTarget[], signal?: AbortSignal): Promise<ContainerUsage[]> {
    const next = new Map<string, CpuStats>();
    const read = await Promise.all(
      targets.map(async (target): Promise<ContainerUsage | null> => {
        const sample = parseContainerStats(await this.containers.statsOnce(target.id, signal));
        if (!sample) return null;
        const before = this.previous.get(target.id);
        if (sample.cpu_stats) next.set(target.id, sample.cpu_stats);
        return {
          key: target.key,
          cpuPercent: before ? cpuPercent({ ...sample, precpu_stats: before }) : null,
          memoryBytes: memoryUsedBytes(sample),
        };
      }),
    );
    this.previous = next;
    return read.filter((usage): usage is ContainerUsage => usage !== null);
  }
}
