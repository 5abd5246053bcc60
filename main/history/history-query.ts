/**
 * Turns the frames read from the store into the API's series: the host, the whole cluster and
 * each pool (CPU and memory summed over their containers), each container asked for, and each
 * queue's rates with their sum. Pure: the store reads, this shapes.
 */
import type { z } from 'zod';
import type { historyInputSchema, historySchema } from '@shared/schemas/history';
import type { ContainerPoint, HistoryFrame } from './history-frame';
import type { HistoryRead } from './history-store';

export type HistoryQuery = z.output<typeof historyInputSchema>;
export type HistoryAnswer = z.output<typeof historySchema>;
type UsagePoint = HistoryAnswer['cluster'][number];

function sumUsage(at: number, containers: readonly ContainerPoint[]): UsagePoint {
  const sum = (values: (number | null)[]) => {
    const known = values.filter((v): v is number => v !== null);
    return known.length ? known.reduce((a, b) => a + b, 0) : null;
  };
  return {
    at,
    cpuPercent: sum(containers.map((c) => c.cpuPercent)),
    memoryBytes: sum(containers.map((c) => c.memoryBytes)),
  };
}

/** Names in first-seen order, so series keep a stable order across a span. */
function namesOf<T>(frames: readonly HistoryFrame[], pick: (frame: HistoryFrame) => T[]): T[] {
  return [...new Set(frames.flatMap(pick))];
}

export function shapeHistory(
  read: HistoryRead,
  query: HistoryQuery,
  span: { at: number; from: number; to: number },
): HistoryAnswer {
  const { frames } = read;
  const inScope = (c: ContainerPoint) =>
    (query.pool === undefined || c.pool === query.pool) &&
    (query.container === undefined || c.name === query.container);
  const pools = namesOf(frames, (f) => f.containers.map((c) => c.pool)).filter(
    (pool) => query.pool === undefined || pool === query.pool,
  );
  const containerNames =
    query.pool === undefined && query.container === undefined
      ? []
      : namesOf(frames, (f) => f.containers.filter(inScope).map((c) => c.name));
  const queueNames = namesOf(frames, (f) => f.queues.map((q) => q.name)).filter(
    (queue) => query.queue === undefined || queue === query.queue,
  );
  return {
    ...span,
    stepMs: read.stepMs,
    host: frames.flatMap((f) => (f.host ? [{ at: f.at, ...f.host }] : [])),
    cluster: frames.map((f) => sumUsage(f.at, f.containers)),
    pools: pools.map((pool) => ({
      pool,
      points: frames.map((f) =>
        sumUsage(
          f.at,
          f.containers.filter((c) => c.pool === pool),
        ),
      ),
    })),
    containers: containerNames.map((name) => {
      const seen = frames.flatMap((f) => f.containers.filter((c) => c.name === name));
      return {
        name,
        pool: seen.at(-1)?.pool ?? '',
        points: frames.flatMap((f) => {
          const point = f.containers.find((c) => c.name === name);
          return point
            ? [{ at: f.at, cpuPercent: point.cpuPercent, memoryBytes: point.memoryBytes }]
            : [];
        }),
      };
    }),
    queues: queueNames.map((queue) => ({
      queue,
      points: frames.flatMap((f) => {
        const point = f.queues.find((q) => q.name === queue);
        return point ? [{ at: f.at, ...rates(point) }] : [];
      }),
    })),
    throughput: frames.map((f) => {
      const chosen = f.queues.filter((q) => queueNames.includes(q.name));
      return {
        at: f.at,
        completedPerSec: chosen.reduce((sum, q) => sum + q.completedPerSec, 0),
        failedPerSec: chosen.reduce((sum, q) => sum + q.failedPerSec, 0),
      };
    }),
  };
}

const rates = (q: { completedPerSec: number; failedPerSec: number }) => ({
  completedPerSec: q.completedPerSec,
  failedPerSec: q.failedPerSec,
});
