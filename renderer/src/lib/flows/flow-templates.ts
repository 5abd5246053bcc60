/**
 * Starting points for the flow editor. They run on the built-in queues as they are, so a user
 * can add one and watch it; the pipeline mirrors task → pm → result (children run first, so the
 * result stage is the root and the task stage the deepest child).
 */
export type FlowTemplateId = 'pipeline' | 'fanOut' | 'failurePolicies';

export const FLOW_TEMPLATES: Record<FlowTemplateId, unknown> = {
  pipeline: {
    queue: 'echo',
    name: 'result',
    data: { stage: 'result' },
    children: [
      {
        queue: 'echo',
        name: 'pm',
        data: { stage: 'pm' },
        children: [
          {
            queue: 'shell',
            name: 'task',
            data: { command: ['sh', '-c', 'echo task done'] },
            failParentOnFailure: true,
          },
        ],
        failParentOnFailure: true,
      },
    ],
  },
  fanOut: {
    queue: 'echo',
    name: 'gather',
    data: { step: 'gather' },
    children: [1, 2, 3].map((part) => ({
      queue: 'sleep',
      name: `part-${part}`,
      data: { ms: 500 * part },
    })),
  },
  failurePolicies: {
    queue: 'echo',
    name: 'report',
    data: { step: 'report' },
    children: [
      {
        queue: 'shell',
        name: 'optional-check',
        data: { command: ['false'] },
        ignoreDependencyOnFailure: true,
      },
      { queue: 'echo', name: 'required-step', data: { ok: true }, failParentOnFailure: true },
    ],
  },
};

export function templateText(id: FlowTemplateId): string {
  return JSON.stringify(FLOW_TEMPLATES[id], null, 2);
}
