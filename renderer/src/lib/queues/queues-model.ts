/** Small pure helpers for the queues page: which counts to show, sparkline series, names. */
import type { ApiOutputs } from '../api/client';

export type QueueSummary = ApiOutputs['queues']['list'][number];
export type QueueMetrics = ApiOutputs['queues']['metrics'];
/** A Celery queue a custom pool watches (read-only). */
export type CeleryQueueView = ApiOutputs['queues']['overview']['celery'][number];
export type JobStateName = keyof QueueSummary['counts'];
export type CleanableState = ApiOutputs['queues']['clean']['state'];

/** Always shown, in this order. */
export const MAIN_STATES = ['waiting', 'active', 'completed', 'failed', 'delayed'] as const;
/** Shown only when the queue holds such jobs. */
export const EXTRA_STATES = ['prioritized', 'paused', 'waiting-children'] as const;

export const CLEANABLE_STATES: readonly CleanableState[] = [
  'completed',
  'failed',
  'waiting',
  'delayed',
  'paused',
  'prioritized',
];

/** Minutes of throughput history shown per queue. */
export const SPARK_MINUTES = 30;

export function visibleStates(counts: QueueSummary['counts']): JobStateName[] {
  return [...MAIN_STATES, ...EXTRA_STATES.filter((state) => counts[state] > 0)];
}

/**
 * The metrics series oldest → newest over `minutes` minutes. The API's index 0 is the current,
 * unfinished minute; missing minutes count as 0.
 */
export function sparkSeries(perMinute: readonly number[], minutes = SPARK_MINUTES): number[] {
  const out: number[] = [];
  for (let i = minutes - 1; i >= 0; i--) out.push(perMinute[i] ?? 0);
  return out;
}

export function sum(values: readonly number[]): number {
  return values.reduce((total, value) => total + value, 0);
}

/** `ghtest-1a2b-worker-3` → `worker-3` (the cluster prefix is the same on every row). */
export function shortWorkerName(name: string): string {
  const match = /(worker-\d+)$/.exec(name);
  return match ? match[1]! : name;
}

/** An SVG polyline `points` attribute for values scaled into width × height (top = max). */
export function sparkPoints(
  values: readonly number[],
  max: number,
  width: number,
  height: number,
  pad = 2,
): string {
  if (values.length === 0) return '';
  const step = values.length > 1 ? width / (values.length - 1) : 0;
  const usable = height - pad * 2;
  return values
    .map((value, i) => {
      const x = values.length > 1 ? i * step : width / 2;
      const y = pad + usable - (max > 0 ? (value / max) * usable : 0);
      return `${x.toFixed(1)},${y.toFixed(1)}`;
    })
    .join(' ');
}
