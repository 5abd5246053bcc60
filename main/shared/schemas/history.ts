/**
 * The kept history as the API sends it (`metrics.range`): host, whole-cluster, per-pool,
 * per-container and per-queue points over a chosen span, read from the store in
 * main/history (checked against its types by main/api/contract-checks-history.ts).
 * Browser-safe: zod only.
 */
import { z } from 'zod';

/** The spans the console offers; each maps to a tier: 5 s points up to 1 h, 1 min beyond. */
export const HISTORY_RANGES = ['15m', '1h', '6h', '24h'] as const;
export const historyRangeSchema = z.enum(HISTORY_RANGES);
export type HistoryRange = z.infer<typeof historyRangeSchema>;

export const HISTORY_RANGE_MS: Record<HistoryRange, number> = {
  '15m': 15 * 60_000,
  '1h': 60 * 60_000,
  '6h': 6 * 60 * 60_000,
  '24h': 24 * 60 * 60_000,
};

const nameSchema = z.string().min(1).max(64);

export const historyInputSchema = z.strictObject({
  range: historyRangeSchema.default('1h'),
  /** Only this pool (its containers come too). */
  pool: nameSchema.optional(),
  /** Only this container, by its short name (`worker-2`). */
  container: nameSchema.optional(),
  /** Only this queue. */
  queue: nameSchema.optional(),
});

export const historyHostPointSchema = z.object({
  at: z.number(),
  cpuPercent: z.number(),
  memoryUsedBytes: z.number(),
  memoryTotalBytes: z.number(),
});

/** CPU in percent of one core (summed over containers for a pool or the cluster), memory in bytes. */
export const historyUsagePointSchema = z.object({
  at: z.number(),
  cpuPercent: z.number().nullable(),
  memoryBytes: z.number().nullable(),
});

export const historyRatePointSchema = z.object({
  at: z.number(),
  completedPerSec: z.number(),
  failedPerSec: z.number(),
});

export const historySchema = z.object({
  /** When it was read, and the span asked for (epoch ms, the server's clock). */
  at: z.number(),
  from: z.number(),
  to: z.number(),
  /** Time between points: 5 000 up to an hour, 60 000 beyond. */
  stepMs: z.number(),
  host: z.array(historyHostPointSchema),
  /** Every container of the cluster summed (Redis included). */
  cluster: z.array(historyUsagePointSchema),
  pools: z.array(z.object({ pool: z.string(), points: z.array(historyUsagePointSchema) })),
  /** Filled only when a pool or a container is asked for (to keep the dashboard's answer small). */
  containers: z.array(
    z.object({ name: z.string(), pool: z.string(), points: z.array(historyUsagePointSchema) }),
  ),
  queues: z.array(z.object({ queue: z.string(), points: z.array(historyRatePointSchema) })),
  /** Every queue summed: jobs finished per second. */
  throughput: z.array(historyRatePointSchema),
});
