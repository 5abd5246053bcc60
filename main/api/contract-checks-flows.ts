/**
 * Compile-time guard for the flow schemas (as contract-checks.ts does for the rest): if a core
 * type changes, `tsc` fails here. Nothing in this file runs.
 */
import type { z } from 'zod';
import type { FlowNodeInput } from '../queues/flows/flow-inputs';
import type { FlowCheck, FlowNodeView, FlowSummary } from '../queues/flows/flows';
import type * as f from '@shared/schemas/flows';

type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type Accepts<Core, Contract> = [Contract] extends [Core] ? true : false;
type Check<T extends true> = T;

export type FlowsContractChecks = [
  Check<Same<f.ApiFlowNodeView, FlowNodeView>>,
  Check<Same<z.output<typeof f.flowSummarySchema>, FlowSummary>>,
  Check<Same<z.output<typeof f.flowCheckSchema>, FlowCheck>>,
  Check<Accepts<FlowNodeInput, f.ApiFlowNodeInput>>,
];
