/**
 * The monitor's recent history as the API sends it, so a page opened now draws the last minutes
 * at once instead of starting its charts empty. Mirrors main/monitor/monitor-types.ts and
 * main/api/throughput-history.ts (checked by main/api/contract-checks.ts). Browser-safe: zod only.
 */
import { z } from 'zod';

export const metricsHistoryInputSchema = z
  .strictObject({
    /** Only points taken after this time (epoch ms); all kept points when omitted. */
    since: z.number().nonnegative().optional(),
  })
  .optional();

/** One host reading: whole-machine CPU load (0–100) and memory in use. */
export const hostHistoryPointSchema = z.object({
  at: z.number(),
  cpuPercent: z.number(),
  memoryUsedBytes: z.number(),
  memoryTotalBytes: z.number(),
});

export const containerPointSchema = z.object({
  at: z.number(),
  cpuPercent: z.number().nullable(),
  memoryBytes: z.number().nullable(),
  networkRxBytesPerSec: z.number().nullable(),
  networkTxBytesPerSec: z.number().nullable(),
});

export const containerHistorySchema = z.object({
  id: z.string(),
  name: z.string(),
  service: z.string().nullable(),
  points: z.array(containerPointSchema),
});

/** Jobs finished per second, from two readings of the workers' counters. */
export const throughputPointSchema = z.object({
  at: z.number(),
  completedPerSec: z.number(),
  failedPerSec: z.number(),
});

export const metricsHistorySchema = z.object({
  /** When the history was read (epoch ms, the server's clock). */
  at: z.number(),
  /** Host points, oldest first (empty until the monitor first ran). */
  host: z.array(hostHistoryPointSchema),
  containers: z.array(containerHistorySchema),
  /** Throughput points, oldest first (while a console read the workers). */
  throughput: z.array(throughputPointSchema),
});
