/**
 * The Settings page's Supervisor section as a model: the cluster's `supervisor` block (on/off,
 * failed health checks before a restart, the memory autoscale keeps free, the host CPU from which
 * scale-up waits) as the inputs hold it, checked against the spec's limits
 * (main/shared/spec-limits.ts, the same the core's supervisorSpecSchema enforces), the patch of
 * what changed, and the server's field errors mapped back. Pure, for testing.
 */
import { SPEC_LIMITS } from '@shared/spec-limits';
import type { ApiSettings } from '../api/client';
import type { FieldError } from './settings-form';
import type { SettingsPatch } from './settings-store.svelte';

export type SupervisorSettings = ApiSettings['cluster']['supervisor'];

export interface SupervisorForm {
  enabled: boolean;
  unhealthyChecks: string;
  memoryMarginMb: string;
  cpuSaturatedPercent: string;
}

export type SupervisorField = keyof SupervisorForm;
type NumberField = Exclude<SupervisorField, 'enabled'>;

/** The ranges of the numeric fields: the spec's own. */
export const SUPERVISOR_LIMITS: Record<NumberField, { min: number; max: number }> = {
  unhealthyChecks: SPEC_LIMITS.unhealthyChecks,
  memoryMarginMb: SPEC_LIMITS.memoryMarginMb,
  cpuSaturatedPercent: SPEC_LIMITS.cpuSaturatedPercent,
};

/** Where each field lives in the settings (as the API names fields in validation errors). */
const FIELD_PATHS: Record<NumberField, string> = {
  unhealthyChecks: 'cluster.supervisor.unhealthyChecks',
  memoryMarginMb: 'cluster.supervisor.memoryMarginMb',
  cpuSaturatedPercent: 'cluster.supervisor.cpuSaturatedPercent',
};

export function formFromSupervisor(supervisor: SupervisorSettings): SupervisorForm {
  return {
    enabled: supervisor.enabled,
    unhealthyChecks: String(supervisor.unhealthyChecks),
    memoryMarginMb: String(supervisor.memoryMarginMb),
    cpuSaturatedPercent: String(supervisor.cpuSaturatedPercent),
  };
}

const WHOLE = /^\s*\d+\s*$/;
const DECIMAL = /^\s*\d+(\.\d+)?\s*$/;

/** The fields' problems (none: an empty object). CPU % may have decimals; the others are whole. */
export function validateSupervisor(
  form: SupervisorForm,
): Partial<Record<SupervisorField, FieldError>> {
  const errors: Partial<Record<SupervisorField, FieldError>> = {};
  for (const field of Object.keys(SUPERVISOR_LIMITS) as NumberField[]) {
    const decimals = field === 'cpuSaturatedPercent';
    const text = form[field];
    const range = SUPERVISOR_LIMITS[field];
    const value = (decimals ? DECIMAL : WHOLE).test(text) ? Number(text) : null;
    if (value === null || value < range.min || value > range.max)
      errors[field] = {
        key: decimals ? 'settings.validation.number' : 'settings.validation.integer',
        params: range,
      };
  }
  return errors;
}

/** What changed between the saved block and a valid form, as a settings patch (maybe empty). */
export function supervisorPatch(form: SupervisorForm, saved: SupervisorSettings): SettingsPatch {
  const changed: Partial<SupervisorSettings> = {};
  if (form.enabled !== saved.enabled) changed.enabled = form.enabled;
  for (const field of Object.keys(SUPERVISOR_LIMITS) as NumberField[]) {
    const value = Number(form[field].trim());
    if (value !== saved[field]) changed[field] = value;
  }
  return Object.keys(changed).length > 0 ? { cluster: { supervisor: changed } } : {};
}

/** Field errors from the API's invalid-input error (`fields` holds setting paths). */
export function supervisorServerErrors(
  fields: readonly string[] | undefined,
  message: string,
): Partial<Record<SupervisorField, FieldError>> {
  const errors: Partial<Record<SupervisorField, FieldError>> = {};
  for (const [name, path] of Object.entries(FIELD_PATHS) as [NumberField, string][]) {
    if (fields?.some((f) => f === path || f.startsWith(`${path}.`)))
      errors[name] = { key: 'settings.validation.server', text: message };
  }
  return errors;
}
