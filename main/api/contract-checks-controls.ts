/**
 * Compile-time guard for the job-control schemas (as contract-checks.ts does for the rest): if a
 * core type changes, `tsc` fails here. Nothing in this file runs.
 */
import type { z } from 'zod';
import type { CancelJobResult, QueueLimits, SetLimitsInput } from '../queues/job-controls';
import type * as c from '@shared/schemas/controls';

type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type Accepts<Core, Contract> = [Contract] extends [Core] ? true : false;
type Check<T extends true> = T;

export type ControlsContractChecks = [
  Check<Same<z.output<typeof c.cancelJobResultSchema>, CancelJobResult>>,
  Check<Same<z.output<typeof c.queueLimitsSchema>, QueueLimits>>,
  Check<Accepts<SetLimitsInput, z.output<typeof c.setLimitsInputSchema>>>,
];
