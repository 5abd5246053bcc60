/** A queue's global limits as the console shows and edits them (pure, no runes). */
import type { ApiOutputs } from '../api/client';

export type QueueLimits = ApiOutputs['controls']['limits'][number];

/** The text fields of the limits dialog; an empty field means "no limit". */
export interface LimitsForm {
  concurrency: string;
  rateMax: string;
  rateDurationMs: string;
}

export function formFromLimits(limits: QueueLimits | null): LimitsForm {
  return {
    concurrency: limits?.concurrency === null || !limits ? '' : String(limits.concurrency),
    rateMax: limits?.rateLimit ? String(limits.rateLimit.max) : '',
    rateDurationMs: limits?.rateLimit ? String(limits.rateLimit.durationMs) : '',
  };
}

function wholeIn(text: string, min: number, max: number): number | null | 'invalid' {
  const trimmed = text.trim();
  if (trimmed === '') return null;
  if (!/^\d+$/.test(trimmed)) return 'invalid';
  const n = Number(trimmed);
  return n >= min && n <= max ? n : 'invalid';
}

export type LimitsProblem = 'concurrency' | 'rateMax' | 'rateDurationMs' | 'ratePair';

/** The request for controls.setLimits, or the field at fault. */
export function limitsRequest(
  queue: string,
  form: LimitsForm,
):
  | {
      ok: true;
      request: {
        queue: string;
        concurrency: number | null;
        rateLimit: { max: number; durationMs: number } | null;
      };
    }
  | { ok: false; problem: LimitsProblem } {
  const concurrency = wholeIn(form.concurrency, 1, 10_000);
  if (concurrency === 'invalid') return { ok: false, problem: 'concurrency' };
  const max = wholeIn(form.rateMax, 1, 1_000_000);
  if (max === 'invalid') return { ok: false, problem: 'rateMax' };
  const durationMs = wholeIn(form.rateDurationMs, 1, 86_400_000);
  if (durationMs === 'invalid') return { ok: false, problem: 'rateDurationMs' };
  if ((max === null) !== (durationMs === null)) return { ok: false, problem: 'ratePair' };
  return {
    ok: true,
    request: {
      queue,
      concurrency,
      rateLimit: max !== null && durationMs !== null ? { max, durationMs } : null,
    },
  };
}
