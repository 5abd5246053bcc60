/**
 * A pool's autoscale block as the editor holds it: off, or min / max / backlog per worker /
 * cooldown as typed text, checked against the spec's limits (main/shared/spec-limits.ts, the
 * same the core's autoscaleSchema enforces) and turned back into the spec's value (null = off).
 * Pure, shared by every pool's editor and the default pool's.
 */
import { SPEC_LIMITS } from '@shared/spec-limits';
import type { ApiSettings } from '../api/client';
import type { FieldError } from '../settings/settings-form';

export type AutoscaleSpec = ApiSettings['cluster']['workers']['autoscale'];

export interface AutoscaleForm {
  enabled: boolean;
  min: string;
  max: string;
  backlogPerWorker: string;
  cooldownSeconds: string;
}

export type AutoscaleField = 'min' | 'max' | 'backlogPerWorker' | 'cooldownSeconds';

/** The core's defaults (pool-spec.ts), offered when autoscale is switched on. */
const DEFAULTS = { min: 1, backlogPerWorker: 100, cooldownSeconds: 60 };

export function formFromAutoscale(spec: AutoscaleSpec, replicas: number): AutoscaleForm {
  if (spec) {
    return {
      enabled: true,
      min: String(spec.min),
      max: String(spec.max),
      backlogPerWorker: String(spec.backlogPerWorker),
      cooldownSeconds: String(spec.cooldownSeconds),
    };
  }
  return {
    enabled: false,
    min: String(DEFAULTS.min),
    max: String(Math.max(1, replicas, 4)),
    backlogPerWorker: String(DEFAULTS.backlogPerWorker),
    cooldownSeconds: String(DEFAULTS.cooldownSeconds),
  };
}

const RANGES: Record<AutoscaleField, { min: number; max: number }> = {
  min: SPEC_LIMITS.replicas,
  max: { min: 1, max: SPEC_LIMITS.replicas.max },
  backlogPerWorker: SPEC_LIMITS.backlogPerWorker,
  cooldownSeconds: SPEC_LIMITS.cooldownSeconds,
};

function whole(text: string): number | null {
  return /^\s*\d+\s*$/.test(text) ? Number(text) : null;
}

/** The block's problems by field (none while autoscale is off). */
export function validateAutoscale(
  form: AutoscaleForm,
): Partial<Record<AutoscaleField, FieldError>> {
  const errors: Partial<Record<AutoscaleField, FieldError>> = {};
  if (!form.enabled) return errors;
  for (const field of Object.keys(RANGES) as AutoscaleField[]) {
    const value = whole(form[field]);
    const range = RANGES[field];
    if (value === null || value < range.min || value > range.max)
      errors[field] = { key: 'settings.validation.integer', params: range };
  }
  const min = whole(form.min);
  const max = whole(form.max);
  if (!errors.min && !errors.max && min !== null && max !== null && min > max)
    errors.min = { key: 'pools.validation.autoscaleMin' };
  return errors;
}

/** The spec's value for a valid block: null when off. */
export function autoscaleFromForm(form: AutoscaleForm): AutoscaleSpec {
  if (!form.enabled) return null;
  return {
    min: Number(form.min),
    max: Number(form.max),
    backlogPerWorker: Number(form.backlogPerWorker),
    cooldownSeconds: Number(form.cooldownSeconds),
  };
}
