/**
 * Schedules: BullMQ job schedulers (Queue.upsertJobScheduler), listed across the known queues
 * with their next run times, last run and its job. Pausing removes the scheduler and keeps a
 * disabled copy in a Guildhall-owned Redis hash (persisted with Redis's AOF like the schedulers
 * themselves); resuming upserts it again from that copy.
 *
 *   const schedules = new Schedules(queues.toolkit());
 *   await schedules.save({ queue: 'shell', id: 'nightly', cron: '0 3 * * *', tz: 'Asia/Tokyo', data });
 */
import type { JobSchedulerJson, Queue } from 'bullmq';
import { GuildhallError } from '../../util/errors';
import { parseInput } from '../queue-inputs';
import type { QueueToolkit } from '../queue-toolkit';
import { checkCron, checkTimeZone, nextRuns } from './cron-check';
import { lastRunsOf, type LastRun } from './last-runs';
import {
  PREVIEW_RUNS,
  previewInputSchema,
  scheduleInputSchema,
  scheduleRefSchema,
  type PreviewInput,
  type ScheduleDefinition,
  type ScheduleInput,
  type ScheduleRef,
} from './schedule-inputs';

export interface ScheduleView {
  queue: string;
  id: string;
  state: 'active' | 'paused';
  cron: string | null;
  every: number | null;
  tz: string | null;
  jobName: string;
  data: unknown;
  attempts: number | null;
  priority: number | null;
  startDate: number | null;
  endDate: number | null;
  limit: number | null;
  /** Jobs the scheduler has added so far. */
  iterations: number;
  /** The next run times (epoch ms, up to five); empty when paused or ended. */
  nextRuns: number[];
  lastRun: LastRun | null;
  pausedAt: number | null;
}

interface PausedCopy {
  definition: ScheduleDefinition;
  iterations: number;
  pausedAt: number;
}

export function pausedSchedulesKey(cluster: string): string {
  return `guildhall:${cluster}:paused-schedules`;
}

const field = (queue: string, id: string) => `${queue}\n${id}`;

export class Schedules {
  constructor(private readonly kit: QueueToolkit) {}

  /** Every schedule of every known queue, active and paused, by queue then id. */
  list(): Promise<ScheduleView[]> {
    return this.kit.guard('list schedules', async () => {
      const names = await this.kit.knownQueues();
      const active = (
        await Promise.all(names.map((name) => this.activeViews(this.kit.queueObject(name))))
      ).flat();
      const paused = await this.pausedViews();
      return [...active, ...paused].sort(
        (a, b) => a.queue.localeCompare(b.queue) || a.id.localeCompare(b.id),
      );
    });
  }

  get(ref: ScheduleRef): Promise<ScheduleView> {
    return this.kit.guard(`read schedule "${String(ref?.id)}"`, async () => {
      const { queue, id } = parseInput(scheduleRefSchema, ref, 'schedule reference');
      const found = (await this.list()).find((s) => s.queue === queue && s.id === id);
      if (!found) throw notFound(queue, id);
      return found;
    });
  }

  /** The schedules with this id, in any queue (the CLI addresses schedules by id). */
  async withId(id: string): Promise<ScheduleView[]> {
    return (await this.list()).filter((s) => s.id === id);
  }

  /** The next run times a definition would have, checked as save() checks it. */
  preview(input: PreviewInput): { nextRuns: number[] } {
    const timing = parseInput(previewInputSchema, input, 'schedule');
    checkTiming(timing);
    return { nextRuns: nextRuns(timing, { from: this.kit.now(), count: PREVIEW_RUNS, ...timing }) };
  }

  /** Creates or replaces a schedule; a paused one stays paused with the new definition. */
  save(input: ScheduleInput): Promise<ScheduleView> {
    return this.kit.guard(`save schedule "${String(input?.id)}"`, async () => {
      const definition = parseInput(scheduleInputSchema, input, 'schedule');
      checkTiming(definition);
      const paused = await this.pausedCopy(definition.queue, definition.id);
      if (paused) {
        await this.storePaused({ ...paused, definition });
      } else {
        await upsert(this.kit.queueObject(definition.queue), definition);
        await this.kit.register(definition.queue);
      }
      return this.get({ queue: definition.queue, id: definition.id });
    });
  }

  remove(ref: ScheduleRef): Promise<{ queue: string; id: string; removed: boolean }> {
    return this.kit.guard(`remove schedule "${String(ref?.id)}"`, async () => {
      const { queue, id } = parseInput(scheduleRefSchema, ref, 'schedule reference');
      const dropped = await this.kit.redis.hdel(
        pausedSchedulesKey(this.kit.cluster),
        field(queue, id),
      );
      const removed = await this.kit.queueObject(queue).removeJobScheduler(id);
      if (!removed && dropped === 0) throw notFound(queue, id);
      return { queue, id, removed: true };
    });
  }

  /** Removes the scheduler (no more jobs) and keeps its definition to resume it later. */
  pause(ref: ScheduleRef): Promise<ScheduleView> {
    return this.kit.guard(`pause schedule "${String(ref?.id)}"`, async () => {
      const { queue, id } = parseInput(scheduleRefSchema, ref, 'schedule reference');
      const view = await this.get({ queue, id });
      if (view.state === 'paused') return view;
      await this.storePaused({
        definition: definitionOf(view),
        iterations: view.iterations,
        pausedAt: this.kit.now(),
      });
      await this.kit.queueObject(queue).removeJobScheduler(id);
      return this.get({ queue, id });
    });
  }

  resume(ref: ScheduleRef): Promise<ScheduleView> {
    return this.kit.guard(`resume schedule "${String(ref?.id)}"`, async () => {
      const { queue, id } = parseInput(scheduleRefSchema, ref, 'schedule reference');
      const paused = await this.pausedCopy(queue, id);
      if (!paused) return this.get({ queue, id });
      await upsert(this.kit.queueObject(queue), paused.definition);
      await this.kit.redis.hdel(pausedSchedulesKey(this.kit.cluster), field(queue, id));
      return this.get({ queue, id });
    });
  }

  /* ---------- internals ---------- */

  private async activeViews(queue: Queue): Promise<ScheduleView[]> {
    const schedulers = await queue.getJobSchedulers(0, -1, true);
    if (schedulers.length === 0) return [];
    const last = await lastRunsOf(this.kit.redis, this.kit.prefix, queue.name);
    return schedulers.map((scheduler) => this.activeView(queue.name, scheduler, last));
  }

  private activeView(
    queue: string,
    s: JobSchedulerJson,
    last: ReadonlyMap<string, LastRun>,
  ): ScheduleView {
    const opts = (s.template?.opts ?? {}) as { attempts?: number; priority?: number };
    const remaining = s.limit === undefined ? PREVIEW_RUNS : s.limit - (s.iterationCount ?? 0) + 1;
    const upcoming =
      s.next === undefined || s.next === null
        ? []
        : [
            s.next,
            ...nextRuns(
              { cron: s.pattern, every: s.every, tz: s.tz },
              { from: s.next, count: PREVIEW_RUNS, endDate: s.endDate },
            ).filter((at) => at > (s.next ?? 0)),
          ].slice(0, Math.max(0, Math.min(PREVIEW_RUNS, remaining)));
    return {
      queue,
      id: s.key,
      state: 'active',
      cron: s.pattern ?? null,
      every: s.every ?? null,
      tz: s.tz ?? null,
      jobName: s.name,
      data: s.template?.data ?? {},
      attempts: opts.attempts ?? null,
      priority: opts.priority ?? null,
      startDate: s.startDate ?? null,
      endDate: s.endDate ?? null,
      limit: s.limit ?? null,
      iterations: s.iterationCount ?? 0,
      nextRuns: upcoming,
      lastRun: last.get(s.key) ?? null,
      pausedAt: null,
    };
  }

  private async pausedViews(): Promise<ScheduleView[]> {
    const entries = await this.kit.redis.hgetall(pausedSchedulesKey(this.kit.cluster));
    const views: ScheduleView[] = [];
    for (const text of Object.values(entries)) {
      const copy = JSON.parse(text) as PausedCopy;
      const d = copy.definition;
      views.push({
        queue: d.queue,
        id: d.id,
        state: 'paused',
        cron: d.cron ?? null,
        every: d.every ?? null,
        tz: d.tz ?? null,
        jobName: d.jobName,
        data: d.data,
        attempts: d.attempts ?? null,
        priority: d.priority ?? null,
        startDate: d.startDate ?? null,
        endDate: d.endDate ?? null,
        limit: d.limit ?? null,
        iterations: copy.iterations,
        nextRuns: [],
        lastRun: null,
        pausedAt: copy.pausedAt,
      });
    }
    return views;
  }

  private async pausedCopy(queue: string, id: string): Promise<PausedCopy | null> {
    const text = await this.kit.redis.hget(pausedSchedulesKey(this.kit.cluster), field(queue, id));
    return text === null ? null : (JSON.parse(text) as PausedCopy);
  }

  private async storePaused(copy: PausedCopy): Promise<void> {
    await this.kit.redis.hset(
      pausedSchedulesKey(this.kit.cluster),
      field(copy.definition.queue, copy.definition.id),
      JSON.stringify(copy),
    );
  }
}

function checkTiming(timing: { cron?: string | undefined; tz?: string | undefined }): void {
  if (timing.cron !== undefined) checkCron(timing.cron);
  if (timing.tz !== undefined) checkTimeZone(timing.tz);
}

async function upsert(queue: Queue, d: ScheduleDefinition): Promise<void> {
  await queue.upsertJobScheduler(
    d.id,
    {
      ...(d.cron === undefined ? {} : { pattern: d.cron }),
      ...(d.every === undefined ? {} : { every: d.every }),
      ...(d.tz === undefined ? {} : { tz: d.tz }),
      ...(d.startDate === undefined ? {} : { startDate: d.startDate }),
      ...(d.endDate === undefined ? {} : { endDate: d.endDate }),
      ...(d.limit === undefined ? {} : { limit: d.limit }),
    },
    {
      name: d.jobName,
      data: d.data,
      opts: {
        ...(d.attempts === undefined ? {} : { attempts: d.attempts }),
        ...(d.priority === undefined ? {} : { priority: d.priority }),
      },
    },
  );
}

function definitionOf(view: ScheduleView): ScheduleDefinition {
  const optional = <T>(value: T | null) => (value === null ? undefined : value);
  return {
    queue: view.queue,
    id: view.id,
    cron: optional(view.cron),
    every: optional(view.every),
    tz: optional(view.tz),
    startDate: optional(view.startDate),
    endDate: optional(view.endDate),
    jobName: view.jobName,
    data: view.data,
    attempts: optional(view.attempts),
    priority: optional(view.priority),
    limit: optional(view.limit),
  };
}

function notFound(queue: string, id: string): GuildhallError {
  return new GuildhallError(
    'not-found',
    `Queue "${queue}" has no schedule "${id}".`,
    'List the schedules (guildhall schedules) to see their ids and queues.',
  );
}
