/** The registry: every diagnostics check, in the order results are shown. */
import type { DiagnosticCheck } from '../types';
import { ENGINE_CHECKS } from './engine';
import { EXTERNAL_REDIS_CHECKS } from './external-redis';
import { HOST_CHECKS } from './host';
import { IMAGE_CHECKS } from './images';
import { JOB_CHECKS } from './jobs';
import { NETWORK_CHECKS } from './network';
import { REDIS_CHECKS } from './redis';
import { poolSecretsCheck } from './secrets';
import { WORKER_CHECKS } from './workers';

export const ALL_CHECKS: readonly DiagnosticCheck[] = [
  ...ENGINE_CHECKS,
  ...NETWORK_CHECKS,
  ...IMAGE_CHECKS,
  ...REDIS_CHECKS,
  ...EXTERNAL_REDIS_CHECKS,
  ...WORKER_CHECKS,
  poolSecretsCheck,
  ...JOB_CHECKS,
  ...HOST_CHECKS,
];

export function findCheck(id: string): DiagnosticCheck | undefined {
  return ALL_CHECKS.find((check) => check.id === id);
}
