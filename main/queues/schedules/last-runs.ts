/**
 * The last run of each job scheduler of a queue: the newest job a scheduler added (ids are
 * `repeat:<scheduler id>:<run time>`) among the queue's active jobs and its latest 500 completed
 * and 500 failed ones. Bounded reads, so listing schedules stays quick on a busy queue.
 */
import type { Redis } from 'ioredis';

export interface LastRun {
  jobId: string;
  /** The run time the scheduler gave the job (epoch ms). */
  at: number;
  state: 'active' | 'completed' | 'failed';
}

const RECENT = 500;
const REPEAT_ID = /^repeat:(.+):(\d+)$/;

export async function lastRunsOf(
  redis: Redis,
  prefix: string,
  queue: string,
): Promise<Map<string, LastRun>> {
  const key = (state: string) => `${prefix}:${queue}:${state}`;
  const [active, completed, failed] = await Promise.all([
    redis.lrange(key('active'), 0, RECENT - 1),
    redis.zrevrange(key('completed'), 0, RECENT - 1),
    redis.zrevrange(key('failed'), 0, RECENT - 1),
  ]);
  const last = new Map<string, LastRun>();
  const consider = (ids: string[], state: LastRun['state']) => {
    for (const jobId of ids) {
      const match = REPEAT_ID.exec(jobId);
      if (!match) continue;
      const scheduler = match[1] ?? '';
      const at = Number(match[2]);
      const known = last.get(scheduler);
      if (!known || at > known.at) last.set(scheduler, { jobId, at, state });
    }
  };
  consider(active, 'active');
  consider(completed, 'completed');
  consider(failed, 'failed');
  return last;
}
