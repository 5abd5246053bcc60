/**
 * Compile-time guard for the schedule schemas (as contract-checks.ts does for the rest): if a
 * core type changes, `tsc` fails here. Nothing in this file runs.
 */
import type { z } from 'zod';
import type { PreviewInput, ScheduleInput, ScheduleRef } from '../queues/schedules/schedule-inputs';
import type { ScheduleView } from '../queues/schedules/schedules';
import type * as s from '@shared/schemas/schedules';

type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type Accepts<Core, Contract> = [Contract] extends [Core] ? true : false;
type Check<T extends true> = T;

export type SchedulesContractChecks = [
  Check<Same<z.output<typeof s.scheduleViewSchema>, ScheduleView>>,
  Check<Accepts<ScheduleInput, z.output<typeof s.scheduleInputSchema>>>,
  Check<Accepts<PreviewInput, z.output<typeof s.previewInputSchema>>>,
  Check<Accepts<ScheduleRef, z.output<typeof s.scheduleRefSchema>>>,
];
