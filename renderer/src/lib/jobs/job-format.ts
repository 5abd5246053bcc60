/** Presentation helpers for jobs: state tones, durations, JSON text and the attempt timeline. */
import type { ApiOutputs } from '../api/client';

export type JobSummary = ApiOutputs['queues']['jobs']['jobs'][number];
export type JobDetail = ApiOutputs['queues']['job'];
export type JobState = JobSummary['state'];
export type ListState = ApiOutputs['queues']['jobs']['state'];
export type Tone = 'ok' | 'warn' | 'danger' | 'info' | 'neutral';

/** Tabs of the jobs page, in order; the extra ones appear only when they hold jobs. */
export const LIST_STATES = ['waiting', 'active', 'completed', 'failed', 'delayed'] as const;
export const EXTRA_LIST_STATES = ['prioritized', 'paused', 'waiting-children'] as const;
export const ALL_LIST_STATES: readonly ListState[] = [...LIST_STATES, ...EXTRA_LIST_STATES];

export function isListState(value: string | undefined): value is ListState {
  return value !== undefined && (ALL_LIST_STATES as readonly string[]).includes(value);
}

export function stateTone(state: JobState): Tone {
  switch (state) {
    case 'completed':
      return 'ok';
    case 'failed':
      return 'danger';
    case 'active':
      return 'info';
    case 'delayed':
    case 'paused':
      return 'warn';
    default:
      return 'neutral';
  }
}

/** Time the last attempt ran, or null when it has not finished. */
export function runDuration(job: Pick<JobSummary, 'processedOn' | 'finishedOn'>): number | null {
  if (job.processedOn === null || job.finishedOn === null) return null;
  return Math.max(0, job.finishedOn - job.processedOn);
}

/** JSON for display; undefined (no value) is null so the caller can show an empty state. */
export function prettyJson(value: unknown): string | null {
  if (value === undefined) return null;
  try {
    return JSON.stringify(value, null, 2) ?? null;
  } catch {
    return String(value);
  }
}

export type TimelineKind = 'created' | 'delayedUntil' | 'processed' | 'completed' | 'failed';

export interface TimelineEntry {
  kind: TimelineKind;
  at: number;
  /** Not reached yet (a delayed job's due time in the future). */
  future: boolean;
}

/** The job's life as dated steps, oldest first. */
export function timeline(job: JobDetail, now = Date.now()): TimelineEntry[] {
  const entries: TimelineEntry[] = [{ kind: 'created', at: job.timestamp, future: false }];
  if (job.dueAt !== null && job.delay > 0)
    entries.push({ kind: 'delayedUntil', at: job.dueAt, future: job.dueAt > now });
  if (job.processedOn !== null)
    entries.push({ kind: 'processed', at: job.processedOn, future: false });
  if (job.finishedOn !== null)
    entries.push({
      kind: job.state === 'failed' ? 'failed' : 'completed',
      at: job.finishedOn,
      future: false,
    });
  return entries.sort((a, b) => a.at - b.at);
}

/** A numeric progress as a 0–100 percentage, or null when the job reports something else. */
export function progressPercent(progress: JobDetail['progress']): number | null {
  if (typeof progress !== 'number' || !Number.isFinite(progress)) return null;
  return Math.min(100, Math.max(0, progress));
}

/** What the detail panel can do to a job. */
export type JobAction = 'retry' | 'remove' | 'promote' | 'cancel';

export type DetailTab = 'data' | 'result' | 'logs' | 'progress' | 'error' | 'timeline' | 'options';
export const DETAIL_TABS: readonly DetailTab[] = [
  'data',
  'result',
  'logs',
  'progress',
  'error',
  'timeline',
  'options',
];

/** The tab that answers the first question about a job in this state. */
export function defaultTab(state: JobState): DetailTab {
  if (state === 'failed') return 'error';
  if (state === 'completed') return 'result';
  return 'data';
}

/** The tab index a key moves to in a row of `count` tabs (arrows wrap), or null for other keys. */
export function tabKeyTarget(key: string, index: number, count: number): number | null {
  if (key === 'ArrowRight') return (index + 1) % count;
  if (key === 'ArrowLeft') return (index - 1 + count) % count;
  if (key === 'Home') return 0;
  if (key === 'End') return count - 1;
  return null;
}
