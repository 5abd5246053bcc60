/**
 * `schedules [--json]` lists the cluster's schedules (BullMQ job schedulers) with their next run
 * times in this machine's time zone; `schedule add|rm|pause|resume` manage them
 * (main/queues/schedules/).
 */
import { parseJsonText, describeJsonProblem } from '../../queues/json-text';
import { Schedules, type ScheduleView } from '../../queues/schedules/schedules';
import type { ScheduleInput } from '../../queues/schedules/schedule-inputs';
import { GuildhallError } from '../../util/errors';
import { EXIT } from '../exit-codes';
import type { CommandRunner } from '../index';
import type { CliIO } from '../io';
import { table } from './queues';
import { intFlag, usageError, withToolkit } from './queue-toolkit-access';

export const runSchedules: CommandRunner = (core, io, _positionals, flags) =>
  withToolkit(core, async (kit) => {
    const list = await new Schedules(kit).list();
    if (flags.json === true) io.stdout.write(`${JSON.stringify(list, null, 2)}\n`);
    else if (list.length === 0)
      io.stdout.write('No schedules yet. Add one with `guildhall schedule add`.\n');
    else io.stdout.write(formatSchedules(list));
    return EXIT.ok;
  });

const ADD_EXAMPLE = `guildhall schedule add shell --cron "0 3 * * *" --tz Asia/Tokyo --name nightly --data '{"command":["date"]}'`;

export const runSchedule: CommandRunner = (core, io, positionals, flags) => {
  const [action, target] = positionals;
  const json = flags.json === true;
  if (action === 'add') {
    if (!target) throw usageError('schedule add needs a queue.', ADD_EXAMPLE);
    const input = addInput(target, flags);
    return withToolkit(core, async (kit) => {
      const saved = await new Schedules(kit).save(input);
      print(io, json, saved, `Saved schedule ${saved.id} on queue ${saved.queue}.`);
      return EXIT.ok;
    });
  }
  if (action === 'rm' || action === 'pause' || action === 'resume') {
    if (!target)
      throw usageError(
        `schedule ${action} needs a schedule id.`,
        `guildhall schedule ${action} nightly`,
      );
    return withToolkit(core, async (kit) => {
      const schedules = new Schedules(kit);
      const ref = await locate(schedules, target, flags.queue);
      if (action === 'rm') {
        const removed = await schedules.remove(ref);
        print(io, json, removed, `Removed schedule ${ref.id} of queue ${ref.queue}.`);
      } else {
        const view = action === 'pause' ? await schedules.pause(ref) : await schedules.resume(ref);
        print(io, json, view, `Schedule ${view.id} of queue ${view.queue} is ${view.state}.`);
      }
      return EXIT.ok;
    });
  }
  throw usageError(
    `Unknown schedule action "${action ?? ''}"; use add, rm, pause or resume.`,
    ADD_EXAMPLE,
  );
};

function print(io: CliIO, json: boolean, value: unknown, text: string): void {
  io.stdout.write(json ? `${JSON.stringify(value, null, 2)}\n` : `${text}\n`);
}

/** The one schedule with this id (in --queue when given). */
async function locate(
  schedules: Schedules,
  id: string,
  queue: unknown,
): Promise<{ queue: string; id: string }> {
  if (typeof queue === 'string') return { queue, id };
  const matches = await schedules.withId(id);
  if (matches.length === 1) return { queue: matches[0]!.queue, id };
  if (matches.length === 0) {
    throw new GuildhallError(
      'not-found',
      `There is no schedule "${id}".`,
      'List the schedules with `guildhall schedules` to see their ids.',
    );
  }
  throw new GuildhallError(
    'invalid-input',
    `Schedule id "${id}" is used in queues ${matches.map((m) => m.queue).join(', ')}.`,
    `Name the queue: --queue ${matches[0]!.queue}`,
  );
}

function addInput(queue: string, flags: Record<string, unknown>): ScheduleInput {
  const name = typeof flags.name === 'string' ? flags.name : undefined;
  if (!name)
    throw usageError('schedule add needs --name (the name of the jobs it adds).', ADD_EXAMPLE);
  let data: unknown = {};
  if (typeof flags.data === 'string') {
    const parsed = parseJsonText(flags.data);
    if (!parsed.ok) {
      throw new GuildhallError(
        'invalid-input',
        describeJsonProblem(parsed.problem, '--data'),
        'Quote the whole JSON for your shell, e.g. \'{"n": 1}\'.',
      );
    }
    data = parsed.value;
  }
  return {
    queue,
    id: typeof flags.id === 'string' ? flags.id : name,
    jobName: name,
    data,
    ...(typeof flags.cron === 'string' ? { cron: flags.cron } : {}),
    ...optionalInt('every', intFlag('--every', flags.every, 100, 366 * 86_400_000)),
    ...(typeof flags.tz === 'string' ? { tz: flags.tz } : {}),
    ...optionalInt('limit', intFlag('--limit', flags.limit, 1, 1_000_000_000)),
    ...optionalInt('attempts', intFlag('--attempts', flags.attempts, 1, 100)),
    ...optionalInt('startDate', dateFlag('--start', flags.start)),
    ...optionalInt('endDate', dateFlag('--end', flags.end)),
  };
}

function optionalInt<K extends string>(
  key: K,
  value: number | undefined,
): Partial<Record<K, number>> {
  return value === undefined ? {} : ({ [key]: value } as Record<K, number>);
}

function dateFlag(flag: string, value: unknown): number | undefined {
  if (value === undefined) return undefined;
  const at = Date.parse(String(value));
  if (Number.isNaN(at)) {
    throw usageError(
      `${flag} must be a date and time, not "${String(value)}".`,
      `${flag} 2027-01-01T09:00:00+09:00`,
    );
  }
  return at;
}

export function formatSchedules(list: readonly ScheduleView[]): string {
  return table(
    ['QUEUE', 'ID', 'STATE', 'WHEN', 'NEXT RUN', 'LAST RUN', 'RUNS'],
    list.map((s) => [
      s.queue,
      s.id,
      s.state,
      s.cron !== null ? `cron ${s.cron}${s.tz ? ` (${s.tz})` : ''}` : `every ${s.every} ms`,
      s.nextRuns[0] === undefined ? '-' : localTime(s.nextRuns[0]),
      s.lastRun === null
        ? '-'
        : `${localTime(s.lastRun.at)} ${s.lastRun.state} (job ${s.lastRun.jobId})`,
      String(s.iterations),
    ]),
  );
}

/** `2026-12-03 09:00:00 +09:00`, in this machine's time zone. */
export function localTime(epochMs: number): string {
  const date = new Date(epochMs);
  const pad = (n: number) => String(Math.abs(n)).padStart(2, '0');
  const offset = -date.getTimezoneOffset();
  return (
    `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ` +
    `${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())} ` +
    `${offset < 0 ? '-' : '+'}${pad(Math.trunc(offset / 60))}:${pad(offset % 60)}`
  );
}
