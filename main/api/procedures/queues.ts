/**
 * queues.*: reads and actions on the cluster's BullMQ queues, through the queues core (which
 * checks every input again with its own schemas).
 */
import { isGuildhallError } from '../../util/errors';
import type { JobDetail } from '../../queues/queue-types';
import { os } from './base';

export const queuesProcedures = {
  list: os.queues.list.handler(async ({ context }) =>
    (await context.services.queues()).listQueues(),
  ),

  overview: os.queues.overview.handler(async ({ context }) => {
    const overview = await (await context.services.queues()).overview();
    context.services.throughput.record(overview);
    return overview;
  }),

  workers: os.queues.workers.handler(async ({ context }) =>
    (await context.services.queues()).listWorkers(),
  ),

  counts: os.queues.counts.handler(async ({ input, context }) => {
    const { name, counts, isPaused } = await (
      await context.services.queues()
    ).getQueue(input.queue);
    return { queue: name, counts, isPaused };
  }),

  metrics: os.queues.metrics.handler(async ({ input, context }) =>
    (await context.services.queues()).getMetrics(input),
  ),

  jobs: os.queues.jobs.handler(async ({ input, context }) =>
    (await context.services.queues()).listJobs(input),
  ),

  job: os.queues.job.handler(async ({ input, context }) =>
    (await context.services.queues()).getJob(input.queue, input.id),
  ),

  findById: os.queues.findById.handler(async ({ input, context }) => {
    const queues = await context.services.queues();
    const names = input.queue ? [input.queue] : await queues.knownQueues();
    const jobs: JobDetail[] = [];
    for (const name of names) {
      try {
        jobs.push(await queues.getJob(name, input.id));
      } catch (err) {
        // Not in this queue (or the named queue does not exist): not a match.
        if (!(isGuildhallError(err) && err.code === 'not-found')) throw err;
      }
    }
    return { id: input.id, jobs };
  }),

  findByName: os.queues.findByName.handler(async ({ input, context }) =>
    (await context.services.queues()).findJobsByName(input),
  ),

  add: os.queues.add.handler(async ({ input, context }) =>
    (await context.services.queues()).addJob(input),
  ),

  retry: os.queues.retry.handler(async ({ input, context }) =>
    (await context.services.queues()).retryJob(input.queue, input.id),
  ),

  remove: os.queues.remove.handler(async ({ input, context }) =>
    (await context.services.queues()).removeJob(input.queue, input.id),
  ),

  promote: os.queues.promote.handler(async ({ input, context }) =>
    (await context.services.queues()).promoteJob(input.queue, input.id),
  ),

  retryAll: os.queues.retryAll.handler(async ({ input, context }) =>
    (await context.services.queues()).retryAllFailed(input.queue),
  ),

  pause: os.queues.pause.handler(async ({ input, context }) =>
    (await context.services.queues()).pauseQueue(input.queue),
  ),

  resume: os.queues.resume.handler(async ({ input, context }) =>
    (await context.services.queues()).resumeQueue(input.queue),
  ),

  clean: os.queues.clean.handler(async ({ input, context }) =>
    (await context.services.queues()).cleanQueue(input),
  ),

  drain: os.queues.drain.handler(async ({ input, context }) =>
    (await context.services.queues()).drainQueue(input),
  ),
};
