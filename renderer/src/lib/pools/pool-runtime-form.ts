/**
 * How a pool's containers run, as the pools editor holds it (issue 14): env as name/value rows,
 * mounts as rows (host folder, container path, read-only), the stop timeout, and a custom pool's
 * Redis-URL env var. Checked as the user types with the core's own rules where the browser can
 * know them (env names and the reserved ones: shared/env-names.ts; the range; a target's form);
 * whether a host folder may be mounted (it exists; not /, the home folder or Guildhall's) only the
 * core knows, so those problems come back from a save at `mounts.<n>.source`, shown at the row.
 * Pure, for testing.
 */
import { ENV_NAME_PATTERN, reservedEnv } from '@shared/env-names';
import { FOLDER_PATTERN, SPEC_LIMITS } from '@shared/spec-limits';
import type { FieldError } from '../settings/settings-form';

export interface EnvRow {
  name: string;
  value: string;
}

export interface MountRow {
  source: string;
  target: string;
  readOnly: boolean;
}

export type PoolKindName = 'builtin' | 'custom';
export type EnvRowErrors = Record<number, Partial<Record<keyof EnvRow, FieldError>>>;
export type MountRowErrors = Record<number, Partial<Record<'source' | 'target', FieldError>>>;

/** The core's limit of an env value's length (pool-spec.ts). */
const MAX_ENV_VALUE = 32_768;
/** A container path as the core takes it (pool-spec.ts mountSchema). */
const TARGET_PATTERN = /^\/[^\0:]*$/;

export function envRowsOf(env: Record<string, string>): EnvRow[] {
  return Object.entries(env).map(([name, value]) => ({ name, value }));
}

export function mountRowsOf(
  mounts: readonly { source: string; target: string; readOnly: boolean }[],
): MountRow[] {
  return mounts.map((m) => ({ source: m.source, target: m.target, readOnly: m.readOnly }));
}

/** A new mount row: read-only unless the user turns it off. */
export function emptyMountRow(): MountRow {
  return { source: '', target: '', readOnly: true };
}

const blankEnv = (row: EnvRow) => row.name.trim() === '' && row.value === '';
const blankMount = (row: MountRow) => row.source.trim() === '' && row.target.trim() === '';

/** The env the settings take: blank rows are left out. */
export function envOf(rows: readonly EnvRow[]): Record<string, string> {
  return Object.fromEntries(rows.filter((r) => !blankEnv(r)).map((r) => [r.name.trim(), r.value]));
}

/** The mounts the settings take: blank rows are left out. */
export function mountsOf(rows: readonly MountRow[]): MountRow[] {
  return rows
    .filter((r) => !blankMount(r))
    .map((r) => ({ source: r.source.trim(), target: r.target.trim(), readOnly: r.readOnly }));
}

/** The reserved-name message for a pool of this kind, as the core says it (en) or its ja. */
function reservedError(name: string, kind: PoolKindName): FieldError | null {
  const why = reservedEnv(name, kind);
  if (why === 'guildhall')
    return { key: 'poolFields.validation.reservedGuildhall', params: { name } };
  if (why === 'guildhall-redis')
    return { key: 'poolFields.validation.reservedGuildhallRedis', params: { name } };
  if (why === 'runtime') return { key: 'poolFields.validation.reservedRuntime', params: { name } };
  return null;
}

/** Each env row's problems, by row index (blank rows have none). */
export function validateEnvRows(rows: readonly EnvRow[], kind: PoolKindName): EnvRowErrors {
  const errors: EnvRowErrors = {};
  const seen = new Set<string>();
  rows.forEach((row, index) => {
    if (blankEnv(row)) return;
    const name = row.name.trim();
    const nameError: FieldError | null =
      name === ''
        ? { key: 'pools.validation.required' }
        : !ENV_NAME_PATTERN.test(name)
          ? { key: 'poolFields.validation.envName', params: { name } }
          : (reservedError(name, kind) ??
            (seen.has(name) ? { key: 'poolFields.validation.envTwice', params: { name } } : null));
    seen.add(name);
    const valueError: FieldError | null =
      row.value.length > MAX_ENV_VALUE
        ? { key: 'poolFields.validation.envValue', params: { max: MAX_ENV_VALUE } }
        : null;
    if (nameError || valueError)
      errors[index] = {
        ...(nameError ? { name: nameError } : {}),
        ...(valueError ? { value: valueError } : {}),
      };
  });
  return errors;
}

/** Each mount row's problems the browser can see, by row index (blank rows have none). */
export function validateMountRows(rows: readonly MountRow[]): MountRowErrors {
  const errors: MountRowErrors = {};
  const targets = new Set<string>();
  rows.forEach((row, index) => {
    if (blankMount(row)) return;
    const source = row.source.trim();
    const target = row.target.trim().replace(/\/+$/, '') || '/';
    const sourceError: FieldError | null =
      source === ''
        ? { key: 'pools.validation.required' }
        : !FOLDER_PATTERN.test(source) && source !== '~'
          ? { key: 'pools.validation.path' }
          : null;
    const targetError: FieldError | null = !TARGET_PATTERN.test(row.target.trim())
      ? { key: 'poolFields.validation.mountTarget' }
      : target === '/'
        ? { key: 'poolFields.validation.mountRoot' }
        : targets.has(target)
          ? { key: 'poolFields.validation.mountTwice', params: { target } }
          : null;
    targets.add(target);
    if (sourceError || targetError)
      errors[index] = {
        ...(sourceError ? { source: sourceError } : {}),
        ...(targetError ? { target: targetError } : {}),
      };
  });
  return errors;
}

/** A row's messages as one line: English sentences spaced, Japanese ones (ending 。) joined. */
export function joinMessages(texts: readonly string[]): string {
  return [...new Set(texts)].reduce(
    (line, next) => (line === '' ? next : line.endsWith('。') ? line + next : `${line} ${next}`),
    '',
  );
}

export function validateStopTimeout(text: string): FieldError | null {
  const range = SPEC_LIMITS.stopTimeoutSeconds;
  const ok = /^\s*\d+\s*$/.test(text) && Number(text) >= range.min && Number(text) <= range.max;
  return ok ? null : { key: 'settings.validation.integer', params: range };
}

/** A custom pool's Redis-URL env var: empty (none), or a name the pool may set. */
export function validateRedisUrlEnv(text: string): FieldError | null {
  const name = text.trim();
  if (name === '') return null;
  if (!ENV_NAME_PATTERN.test(name))
    return { key: 'poolFields.validation.envName', params: { name } };
  return reservedError(name, 'custom');
}

/**
 * A server problem under a pool (`rest` is the path after `cluster.pools.<name>.`) that belongs
 * to a row: `env.<NAME>` (by name) or `mounts.<n>.<source|target>` (by index); null otherwise.
 */
export function rowOfServerPath(
  rest: string,
):
  | { list: 'env'; name: string }
  | { list: 'mounts'; index: number; field: 'source' | 'target' }
  | null {
  const env = /^env\.(.+)$/.exec(rest);
  if (env) return { list: 'env', name: env[1]! };
  const mount = /^mounts\.(\d+)(?:\.(source|target))?$/.exec(rest);
  if (mount)
    return {
      list: 'mounts',
      index: Number(mount[1]),
      field: (mount[2] as 'source' | 'target' | undefined) ?? 'source',
    };
  return null;
}
