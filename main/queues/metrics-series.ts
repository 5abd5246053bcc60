/**
 * Turns BullMQ's metrics into a per-minute series ending at "now".
 *
 * How BullMQ records them (collectMetrics.lua, run by workers started with the `metrics`
 * option): `meta.count` counts every finished job; `prevTS`/`prevCount` mark the minute that is
 * still open. When a job finishes in a later minute, the jobs of the open minute are pushed as
 * one data point (plus zeros for the empty minutes between), so `data[0]` is the minute just
 * before the open one. The open minute itself is `count - prevCount`, not yet in `data`.
 */
import type { Metrics } from 'bullmq';
import type { ThroughputSeries } from './queue-types';

const MINUTE_MS = 60_000;

export function throughputSeries(metrics: Metrics, now: number, minutes: number): ThroughputSeries {
  const nowMinute = Math.floor(now / MINUTE_MS);
  const perMinute = new Array<number>(minutes).fill(0);
  const { count, prevTS, prevCount } = metrics.meta;
  if (prevTS > 0) {
    // A worker clock slightly ahead of ours must not push the open minute into the future.
    const openMinute = Math.min(Math.floor(prevTS / MINUTE_MS), nowMinute);
    for (let i = 0; i < minutes; i++) {
      const minute = nowMinute - i;
      if (minute === openMinute) perMinute[i] = Math.max(0, count - prevCount);
      else if (minute < openMinute) perMinute[i] = metrics.data[openMinute - 1 - minute] ?? 0;
    }
  }
  return { minuteStart: nowMinute * MINUTE_MS, perMinute, total: count };
}
