/**
 * One pool's container options and spec hash, whichever kind it is: built-in pools run the worker
 * program (container-configs.ts), custom pools their own image (custom-pool-config.ts).
 */
import type Dockerode from 'dockerode';
import type { ClusterPool } from '../settings/cluster-spec';
import { workerCreateOptions, workerHash, type ContainerInputs } from './container-configs';
import { customPoolCreateOptions, customPoolHash } from './custom-pool-config';

export function poolHash(inputs: ContainerInputs, pool: ClusterPool): string {
  return pool.kind === 'builtin' ? workerHash(inputs, pool) : customPoolHash(inputs, pool);
}

export function poolCreateOptions(
  inputs: ContainerInputs,
  pool: ClusterPool,
  number: number,
): { options: Dockerode.ContainerCreateOptions; hash: string } {
  return pool.kind === 'builtin'
    ? workerCreateOptions(inputs, number, pool)
    : customPoolCreateOptions(inputs, pool, number);
}
