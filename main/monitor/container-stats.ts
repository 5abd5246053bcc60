/**
 * Turns one sample of the engine's container stats (GET /containers/{id}/stats) into the
 * numbers `docker stats` shows, computed the way the docker CLI computes them.
 */
import { z } from 'zod';

const cpuStatsSchema = z.object({
  cpu_usage: z.object({
    total_usage: z.number().optional(),
    percpu_usage: z.array(z.number()).nullish(),
  }),
  system_cpu_usage: z.number().optional(),
  online_cpus: z.number().optional(),
});

/** The fields we read; the engine sends many more, which zod drops. */
export const containerStatsSchema = z.object({
  read: z.string().optional(),
  preread: z.string().optional(),
  cpu_stats: cpuStatsSchema.optional(),
  precpu_stats: cpuStatsSchema.partial().optional(),
  memory_stats: z
    .object({
      usage: z.number().optional(),
      limit: z.number().optional(),
      stats: z.record(z.string(), z.number()).optional(),
    })
    .optional(),
  networks: z
    .record(z.string(), z.object({ rx_bytes: z.number(), tx_bytes: z.number() }))
    .optional(),
});
export type ContainerStatsSample = z.infer<typeof containerStatsSchema>;

export function parseContainerStats(raw: unknown): ContainerStatsSample | null {
  const parsed = containerStatsSchema.safeParse(raw);
  return parsed.success ? parsed.data : null;
}

/**
 * CPU use in percent of one core (so 2 busy cores show 200 %): the container's CPU time delta
 * divided by the host's, times the number of online CPUs. Null when the sample has no previous
 * reading to compare with, or the counters went backwards (the container restarted).
 */
export function cpuPercent(sample: ContainerStatsSample): number | null {
  const cpu = sample.cpu_stats;
  const pre = sample.precpu_stats;
  const total = cpu?.cpu_usage.total_usage;
  const preTotal = pre?.cpu_usage?.total_usage;
  const system = cpu?.system_cpu_usage;
  const preSystem = pre?.system_cpu_usage;
  if (total === undefined || preTotal === undefined || !system || !preSystem) return null;
  const cpuDelta = total - preTotal;
  const systemDelta = system - preSystem;
  if (cpuDelta < 0 || systemDelta <= 0) return null;
  const onlineCpus = cpu.online_cpus || cpu.cpu_usage.percpu_usage?.length || 1;
  return (cpuDelta / systemDelta) * onlineCpus * 100;
}

/**
 * Memory in use without the page cache the kernel can drop, as `docker stats` shows it:
 * cgroup v1 subtracts `total_inactive_file` (falling back to `cache` on engines that do not
 * report it), cgroup v2 subtracts `inactive_file`.
 */
export function memoryUsedBytes(sample: ContainerStatsSample): number | null {
  const memory = sample.memory_stats;
  const usage = memory?.usage;
  if (usage === undefined) return null;
  const stats = memory?.stats ?? {};
  const isCgroupV1 = 'total_inactive_file' in stats || 'cache' in stats;
  const reclaimable = isCgroupV1
    ? (stats.total_inactive_file ?? stats.cache ?? 0)
    : (stats.inactive_file ?? 0);
  return reclaimable < usage ? usage - reclaimable : usage;
}

export function memoryLimitBytes(sample: ContainerStatsSample): number | null {
  const limit = sample.memory_stats?.limit;
  return limit && limit > 0 ? limit : null;
}

/** Bytes received and sent on all of the container's interfaces since it started. */
export function networkTotals(
  sample: ContainerStatsSample,
): { rxBytes: number; txBytes: number } | null {
  if (!sample.networks) return null;
  let rxBytes = 0;
  let txBytes = 0;
  for (const net of Object.values(sample.networks)) {
    rxBytes += net.rx_bytes;
    txBytes += net.tx_bytes;
  }
  return { rxBytes, txBytes };
}

export interface StatsReading {
  /** When the engine read the sample (epoch ms). */
  readAt: number;
  cpuPercent: number | null;
  memoryBytes: number | null;
  memoryLimitBytes: number | null;
  networkRxBytes: number | null;
  networkTxBytes: number | null;
  /** Bytes per second since the previous reading; null for the first one or after a reset. */
  networkRxBytesPerSec: number | null;
  networkTxBytesPerSec: number | null;
}

/** Reads one sample, using the previous reading of the same stream for network rates. */
export function readStats(
  sample: ContainerStatsSample,
  previous: StatsReading | null,
  fallbackNow: number = Date.now(),
): StatsReading {
  const readParsed = sample.read ? Date.parse(sample.read) : Number.NaN;
  const readAt = Number.isFinite(readParsed) && readParsed > 0 ? readParsed : fallbackNow;
  const net = networkTotals(sample);
  const seconds = previous ? (readAt - previous.readAt) / 1000 : 0;
  const rate = (now: number | undefined, before: number | null | undefined): number | null =>
    now === undefined || before === null || before === undefined || seconds <= 0 || now < before
      ? null
      : (now - before) / seconds;
  return {
    readAt,
    cpuPercent: cpuPercent(sample),
    memoryBytes: memoryUsedBytes(sample),
    memoryLimitBytes: memoryLimitBytes(sample),
    networkRxBytes: net?.rxBytes ?? null,
    networkTxBytes: net?.txBytes ?? null,
    networkRxBytesPerSec: rate(net?.rxBytes, previous?.networkRxBytes),
    networkTxBytesPerSec: rate(net?.txBytes, previous?.networkTxBytes),
  };
}

/** True when CPU time went backwards between the two readings: the container restarted. */
export function cpuCounterReset(sample: ContainerStatsSample): boolean {
  const total = sample.cpu_stats?.cpu_usage.total_usage;
  const preTotal = sample.precpu_stats?.cpu_usage?.total_usage;
  return total !== undefined && preTotal !== undefined && preTotal > 0 && total < preTotal;
}
