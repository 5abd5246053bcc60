/**
 * Flows (trees of jobs across queues, BullMQ FlowProducer) as the API sends and accepts them.
 * Mirrors main/queues/flows/ (kept equal by contract-checks-flows.ts), which checks every input
 * again with messages naming the node path. Browser-safe: zod only.
 */
import { z } from 'zod';

export interface ApiFlowNodeInput {
  queue: string;
  name?: string | undefined;
  data?: unknown;
  failParentOnFailure?: boolean | undefined;
  ignoreDependencyOnFailure?: boolean | undefined;
  attempts?: number | undefined;
  children?: ApiFlowNodeInput[] | undefined;
}

export const flowNodeInputSchema: z.ZodType<ApiFlowNodeInput> = z.lazy(() =>
  z.strictObject({
    queue: z.string().min(1).max(64),
    name: z.string().min(1).max(128).optional(),
    data: z.unknown().optional(),
    failParentOnFailure: z.boolean().optional(),
    ignoreDependencyOnFailure: z.boolean().optional(),
    attempts: z.number().int().min(1).max(100).optional(),
    children: z.array(flowNodeInputSchema).max(500).optional(),
  }),
);

export interface ApiFlowNodeView {
  queue: string;
  id: string;
  name: string;
  state: string;
  worker: string | null;
  attemptsMade: number;
  createdAt: number;
  processedOn: number | null;
  finishedOn: number | null;
  durationMs: number | null;
  failedReason: string | null;
  returnvalue: unknown;
  childrenValues: Record<string, unknown>;
  ignoredFailures: Record<string, string>;
  failParentOnFailure: boolean;
  ignoreDependencyOnFailure: boolean;
  children: ApiFlowNodeView[];
}

export const flowNodeViewSchema: z.ZodType<ApiFlowNodeView> = z.lazy(() =>
  z.object({
    queue: z.string(),
    id: z.string(),
    name: z.string(),
    state: z.string(),
    worker: z.string().nullable(),
    attemptsMade: z.number(),
    createdAt: z.number(),
    processedOn: z.number().nullable(),
    finishedOn: z.number().nullable(),
    durationMs: z.number().nullable(),
    failedReason: z.string().nullable(),
    returnvalue: z.unknown(),
    childrenValues: z.record(z.string(), z.unknown()),
    ignoredFailures: z.record(z.string(), z.string()),
    failParentOnFailure: z.boolean(),
    ignoreDependencyOnFailure: z.boolean(),
    children: z.array(flowNodeViewSchema),
  }),
);

export const flowSummarySchema = z.object({
  queue: z.string(),
  id: z.string(),
  name: z.string(),
  state: z.string(),
  createdAt: z.number(),
  jobs: z.number(),
  states: z.record(z.string(), z.number()),
});

export const flowCheckSchema = z.object({
  ok: z.boolean(),
  problem: z.string().nullable(),
  jobs: z.number(),
  queues: z.array(z.string()),
});

export const flowRootSchema = z.object({ queue: z.string(), id: z.string() }).nullable();
