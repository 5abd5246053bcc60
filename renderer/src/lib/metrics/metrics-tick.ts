/**
 * The monitor's 1 s metrics tick as the event stream carries it (the API types it as unknown;
 * main/monitor/monitor-types.ts is the source). Only what the console shows is read, and a tick
 * that does not match is ignored rather than breaking the page.
 */
import { z } from 'zod';

const nullableNumber = z.number().nullable();

export const containerSampleSchema = z.object({
  id: z.string(),
  name: z.string(),
  service: z.string().nullable(),
  number: nullableNumber,
  state: z.string(),
  restartCount: z.number(),
  exitCode: nullableNumber,
  oomKilled: z.boolean(),
  cpuPercent: nullableNumber,
  memoryBytes: nullableNumber,
  memoryLimitBytes: nullableNumber,
});
export type ContainerSample = z.infer<typeof containerSampleSchema>;

export const metricsTickSchema = z.object({
  at: z.number(),
  host: z
    .object({
      at: z.number(),
      sample: z.object({
        at: z.number(),
        cpu: z.object({ totalPercent: z.number() }),
        memory: z.object({ usedBytes: z.number(), totalBytes: z.number() }),
      }),
    })
    .nullable(),
  containers: z.object({
    at: z.number(),
    containers: z.array(containerSampleSchema),
    error: z.string().optional(),
  }),
});
export type MetricsTick = z.infer<typeof metricsTickSchema>;

export function parseMetricsTick(data: unknown): MetricsTick | null {
  const parsed = metricsTickSchema.safeParse(data);
  return parsed.success ? parsed.data : null;
}

export interface HostPoint {
  at: number;
  cpuPercent: number;
  memoryUsedBytes: number;
  memoryTotalBytes: number;
}

/** The host chart point of a tick, or null when the host has no sample yet. */
export function hostPointOf(tick: MetricsTick): HostPoint | null {
  if (!tick.host) return null;
  const { sample } = tick.host;
  return {
    at: sample.at,
    cpuPercent: Math.max(0, Math.min(100, sample.cpu.totalPercent)),
    memoryUsedBytes: sample.memory.usedBytes,
    memoryTotalBytes: sample.memory.totalBytes,
  };
}

export { throughputBetween, workerCountsOf, type WorkerCounts } from '@shared/throughput';
