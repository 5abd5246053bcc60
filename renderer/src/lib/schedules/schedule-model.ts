/**
 * The schedule editor's form and what it sends (pure, no runes): the fields as text, turned
 * into schedules.save / schedules.preview input; times are the user's local time zone.
 */
import type { ApiInputs, ApiOutputs } from '../api/client';

export type ScheduleView = ApiOutputs['schedules']['list'][number];
export type ScheduleSaveInput = ApiInputs['schedules']['save'];
export type SchedulePreviewInput = ApiInputs['schedules']['preview'];

export interface ScheduleForm {
  queue: string;
  id: string;
  kind: 'cron' | 'every';
  cron: string;
  tz: string;
  every: string;
  jobName: string;
  data: string;
  limit: string;
  attempts: string;
  /** `datetime-local` values (the user's time zone), or empty. */
  start: string;
  end: string;
}

export function userTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}

export function emptyForm(queue = 'echo'): ScheduleForm {
  return {
    queue,
    id: '',
    kind: 'cron',
    cron: '0 9 * * 1-5',
    tz: userTimeZone(),
    every: '60000',
    jobName: 'scheduled',
    data: '{}',
    limit: '',
    attempts: '',
    start: '',
    end: '',
  };
}

/** `YYYY-MM-DDTHH:MM` in local time, as a datetime-local input shows it. */
export function toLocalInput(epochMs: number | null): string {
  if (epochMs === null) return '';
  const d = new Date(epochMs);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

export function formFromView(view: ScheduleView): ScheduleForm {
  return {
    queue: view.queue,
    id: view.id,
    kind: view.cron !== null ? 'cron' : 'every',
    cron: view.cron ?? '0 9 * * 1-5',
    tz: view.tz ?? userTimeZone(),
    every: view.every === null ? '60000' : String(view.every),
    jobName: view.jobName,
    data: JSON.stringify(view.data ?? {}, null, 2),
    limit: view.limit === null ? '' : String(view.limit),
    attempts: view.attempts === null ? '' : String(view.attempts),
    start: toLocalInput(view.startDate),
    end: toLocalInput(view.endDate),
  };
}

function wholeOrText(text: string): number | string | undefined {
  const trimmed = text.trim();
  if (trimmed === '') return undefined;
  return /^\d+$/.test(trimmed) ? Number(trimmed) : trimmed;
}

function dateOf(text: string): number | undefined {
  if (text.trim() === '') return undefined;
  const at = new Date(text).getTime();
  return Number.isNaN(at) ? undefined : at;
}

/** The timing part, for the preview. Non-numbers are passed on for the server to name. */
export function previewInput(form: ScheduleForm): SchedulePreviewInput {
  const start = dateOf(form.start);
  const end = dateOf(form.end);
  return {
    ...(form.kind === 'cron'
      ? { cron: form.cron, ...(form.tz.trim() ? { tz: form.tz.trim() } : {}) }
      : { every: wholeOrText(form.every) as number }),
    ...(start === undefined ? {} : { startDate: start }),
    ...(end === undefined ? {} : { endDate: end }),
  };
}

/** The save request; `data` must already be valid JSON (the editor checks it live). */
export function saveInput(form: ScheduleForm): ScheduleSaveInput {
  const limit = wholeOrText(form.limit);
  const attempts = wholeOrText(form.attempts);
  return {
    queue: form.queue.trim(),
    id: form.id.trim(),
    jobName: form.jobName.trim() || 'scheduled',
    data: JSON.parse(form.data) as unknown,
    ...previewInput(form),
    ...(limit === undefined ? {} : { limit: limit as number }),
    ...(attempts === undefined ? {} : { attempts: attempts as number }),
  };
}
