/** schedules.*: BullMQ job schedulers across the cluster's queues (main/queues/schedules/). */
import { Schedules } from '../../queues/schedules/schedules';
import type { ApiContext } from '../context';
import { os } from './base';

async function schedules(context: ApiContext): Promise<Schedules> {
  return new Schedules((await context.services.queues()).toolkit());
}

export const schedulesProcedures = {
  list: os.schedules.list.handler(async ({ context }) => (await schedules(context)).list()),
  preview: os.schedules.preview.handler(async ({ input, context }) =>
    (await schedules(context)).preview(input),
  ),
  save: os.schedules.save.handler(async ({ input, context }) =>
    (await schedules(context)).save(input),
  ),
  remove: os.schedules.remove.handler(async ({ input, context }) =>
    (await schedules(context)).remove(input),
  ),
  pause: os.schedules.pause.handler(async ({ input, context }) =>
    (await schedules(context)).pause(input),
  ),
  resume: os.schedules.resume.handler(async ({ input, context }) =>
    (await schedules(context)).resume(input),
  ),
};
