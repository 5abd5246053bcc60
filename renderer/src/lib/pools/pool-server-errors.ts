/**
 * The server's invalid-input paths for one pool (`cluster.pools.<name>.<field>…`, from a save)
 * mapped back onto the pools editor's fields and rows, so each problem shows where it is. Pure.
 */
import type { FieldError } from '../settings/settings-form';
import type { PoolErrors, PoolField } from './pool-form';
import { rowOfServerPath } from './pool-runtime-form';

const SERVER_FIELDS: Record<string, PoolField | 'autoscale' | 'env' | 'mounts'> = {
  replicas: 'replicas',
  cpus: 'cpus',
  memoryMb: 'memoryMb',
  secrets: 'secrets',
  env: 'env',
  mounts: 'mounts',
  stopTimeoutSeconds: 'stopTimeoutSeconds',
  redisUrlEnv: 'redisUrlEnv',
  concurrency: 'concurrency',
  packages: 'packages',
  dockerfile: 'dockerfile',
  queues: 'queues',
  image: 'image',
  build: 'buildContext',
  command: 'command',
  healthcheck: 'healthcheck',
  watch: 'watchCelery',
  autoscale: 'autoscale',
};

/**
 * The server's invalid-input paths for one pool, on the editor's fields: `cluster.pools.<name>`
 * alone is the name (reserved), `cluster.pools` the all-pools total (shown at replicas), an env
 * variable's or a mount's problem at its row; fields the editor does not show land on the name,
 * so the message is seen.
 */
export function serverPoolErrors(
  fields: readonly string[] | undefined,
  message: string,
  pool: string,
): PoolErrors {
  const errors: PoolErrors = {};
  const at = `cluster.pools.${pool}`;
  const error: FieldError = { key: 'settings.validation.server', text: message };
  for (const path of fields ?? []) {
    let field: PoolField | 'autoscale' | 'env' | 'mounts' | undefined;
    const row = path.startsWith(`${at}.`) ? rowOfServerPath(path.slice(at.length + 1)) : null;
    if (row?.list === 'env') {
      errors.envNames = { ...errors.envNames, [row.name]: error };
      continue;
    }
    if (row?.list === 'mounts') {
      errors.mountRows = {
        ...errors.mountRows,
        [row.index]: { ...errors.mountRows?.[row.index], [row.field]: error },
      };
      continue;
    }
    if (path === 'cluster.pools') field = 'replicas';
    else if (path === at) field = 'name';
    else if (path.startsWith(`${at}.`))
      field = SERVER_FIELDS[path.slice(at.length + 1).split('.')[0]!] ?? 'name';
    if (field && !errors[field]) errors[field] = error;
  }
  return errors;
}
