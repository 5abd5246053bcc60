/** flows.*: trees of jobs across queues on BullMQ's FlowProducer (main/queues/flows/). */
import { Flows } from '../../queues/flows/flows';
import type { ApiContext } from '../context';
import { os } from './base';

async function flows(context: ApiContext): Promise<Flows> {
  return new Flows((await context.services.queues()).toolkit());
}

export const flowsProcedures = {
  list: os.flows.list.handler(async ({ context }) => (await flows(context)).list()),
  add: os.flows.add.handler(async ({ input, context }) => (await flows(context)).add(input)),
  check: os.flows.check.handler(async ({ input, context }) =>
    (await flows(context)).check(input.flow),
  ),
  tree: os.flows.tree.handler(async ({ input, context }) => (await flows(context)).treeOf(input)),
  locate: os.flows.locate.handler(async ({ input, context }) =>
    (await flows(context)).locate(input),
  ),
};
