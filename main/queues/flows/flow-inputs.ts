/**
 * A flow as users write it (JSON, from the console or `guildhall flow add FILE`): a tree of jobs
 * across queues, each node a queue, a job name, data and its failure policy; BullMQ runs the
 * children first and the parent once they are done. Checked here so every face gets messages
 * naming the node path at fault (e.g. `children.0.queue`).
 */
import { z } from 'zod';
import { GuildhallError } from '../../util/errors';
import { jobDataSchema, jobNameSchema, MAX_ATTEMPTS, queueNameSchema } from '../queue-inputs';

export const MAX_FLOW_DEPTH = 10;
export const MAX_FLOW_NODES = 500;

export interface FlowNodeInput {
  queue: string;
  name?: string | undefined;
  data?: unknown;
  /** When this job fails, fail its parent too. */
  failParentOnFailure?: boolean | undefined;
  /** When this job fails, let its parent run anyway (the failure is recorded on the parent). */
  ignoreDependencyOnFailure?: boolean | undefined;
  attempts?: number | undefined;
  children?: FlowNodeInput[] | undefined;
}

export const flowNodeSchema: z.ZodType<FlowNodeInput> = z.lazy(() =>
  z
    .strictObject({
      queue: queueNameSchema,
      name: jobNameSchema.optional(),
      data: jobDataSchema.optional(),
      failParentOnFailure: z
        .boolean({ error: 'failParentOnFailure must be true or false' })
        .optional(),
      ignoreDependencyOnFailure: z
        .boolean({ error: 'ignoreDependencyOnFailure must be true or false' })
        .optional(),
      attempts: z
        .number({ error: 'attempts must be a number' })
        .int({ error: 'attempts must be a whole number' })
        .min(1, { error: 'attempts must be at least 1' })
        .max(MAX_ATTEMPTS, { error: `attempts must be at most ${MAX_ATTEMPTS}` })
        .optional(),
      children: z.array(flowNodeSchema, { error: 'children must be a list of jobs' }).optional(),
    })
    .refine((node) => !(node.failParentOnFailure && node.ignoreDependencyOnFailure), {
      error: 'failParentOnFailure and ignoreDependencyOnFailure cannot both be true on one job',
      path: ['ignoreDependencyOnFailure'],
    }),
);

/** Depth and size bounds, which a recursive schema cannot state. */
export function flowShapeProblem(root: FlowNodeInput): string | null {
  let nodes = 0;
  let deepest = 0;
  const walk = (node: FlowNodeInput, depth: number) => {
    nodes += 1;
    deepest = Math.max(deepest, depth);
    for (const child of node.children ?? []) walk(child, depth + 1);
  };
  walk(root, 1);
  if (deepest > MAX_FLOW_DEPTH)
    return `the flow is ${deepest} levels deep; the limit is ${MAX_FLOW_DEPTH}`;
  if (nodes > MAX_FLOW_NODES) return `the flow has ${nodes} jobs; the limit is ${MAX_FLOW_NODES}`;
  return null;
}

/**
 * Parses a flow or throws 'invalid-input' naming each problem by its full node path
 * (`children.0.queue: queue must be a string`), since one field name recurs at every level.
 */
export function parseFlow(input: unknown): FlowNodeInput {
  const result = flowNodeSchema.safeParse(input);
  if (result.success) {
    const problem = flowShapeProblem(result.data);
    if (problem)
      throw new GuildhallError(
        'invalid-input',
        `Invalid flow: ${problem}.`,
        'Split it into smaller flows.',
      );
    return result.data;
  }
  const problems = result.error.issues.slice(0, 5).map((issue) => {
    const where = issue.path.map(String).join('.');
    if (issue.code === 'unrecognized_keys')
      return `${where || '(root)'}: unknown field(s) ${issue.keys.join(', ')}`;
    return where ? `${where}: ${issue.message}` : issue.message;
  });
  throw new GuildhallError(
    'invalid-input',
    `Invalid flow: ${problems.join('; ')}.`,
    'Each job needs a queue; children is a list of jobs of the same shape.',
    { fields: result.error.issues.map((issue) => issue.path.join('.') || '(input)') },
  );
}
