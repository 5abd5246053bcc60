/**
 * controls.*: cancel a running job; read and set a queue's global limits
 * (main/queues/job-controls.ts); search jobs by data (main/queues/job-search.ts).
 */
import { JobControls } from '../../queues/job-controls';
import { JobSearch } from '../../queues/job-search';
import { recordQueueLimits } from '../../queues/queue-limits-spec';
import type { ApiContext } from '../context';
import { os } from './base';

async function controls(context: ApiContext): Promise<JobControls> {
  return new JobControls((await context.services.queues()).toolkit());
}

export const controlsProcedures = {
  cancel: os.controls.cancel.handler(async ({ input, context }) =>
    (await controls(context)).cancel(input),
  ),
  limits: os.controls.limits.handler(async ({ context }) => (await controls(context)).listLimits()),
  search: os.controls.search.handler(async ({ input, context }) =>
    new JobSearch((await context.services.queues()).toolkit()).search(input),
  ),
  setLimits: os.controls.setLimits.handler(async ({ input, context }) => {
    const limits = await (await controls(context)).setLimits(input);
    await recordQueueLimits(context.services.core.settings, limits);
    return limits;
  }),
};
