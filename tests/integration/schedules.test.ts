/**
 * Schedules on a real cluster: BullMQ job schedulers made through the core and the CLI, fired by
 * the cluster's workers, paused (a disabled copy kept in Redis) and resumed, refused with the cron
 * field at fault, and still there after the cluster's Redis container restarts (AOF).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QueuesService } from '../../main/queues/index';
import { Schedules } from '../../main/queues/schedules/schedules';
import { GuildhallError } from '../../main/util/errors';
import { connectionFromUrl, dockerCli } from './helpers/cluster-jobs-kit';
import { waitFor } from './helpers/queues-fixture';
import { runCli } from './helpers/run-cli';
import { createTestCluster, type TestCluster } from './helpers/test-cluster';

let tc: TestCluster;
let service: QueuesService;
let schedules: Schedules;

beforeAll(async () => {
  tc = await createTestCluster({ workers: 1 });
  await tc.core.cluster.up();
  const connection = connectionFromUrl(await tc.core.cluster.connectionUrl());
  service = new QueuesService({ connection, cluster: tc.name });
  schedules = new Schedules(service.toolkit());
});

afterAll(async () => {
  await service?.close();
  await tc?.cleanup();
});

/** Run times (from the job ids `repeat:<id>:<time>`) of the jobs a scheduler added so far. */
async function runTimes(queue: string, id: string): Promise<number[]> {
  const page = await service.listJobs({ queue, state: 'completed', start: 0, count: 1000 });
  return page.jobs
    .map((job) => /^repeat:(.+):(\d+)$/.exec(job.id))
    .filter((match): match is RegExpExecArray => match !== null && match[1] === id)
    .map((match) => Number(match[2]))
    .sort((a, b) => a - b);
}

function errorOf(run: () => unknown): Promise<GuildhallError> {
  return Promise.resolve()
    .then(run)
    .then(
      () => {
        throw new Error('expected an error');
      },
      (err: unknown) => err as GuildhallError,
    );
}

describe('schedules', () => {
  it('an every: 1000 schedule adds a job each second, and none once removed', async () => {
    const saved = await schedules.save({
      queue: 'echo',
      id: 'tick',
      every: 1000,
      jobName: 'tick',
      data: { n: 1 },
    });
    expect(saved).toMatchObject({ state: 'active', every: 1000, jobName: 'tick', data: { n: 1 } });
    await waitFor(async () => (await runTimes('echo', 'tick')).length >= 4, 15_000, '4 ticks');
    const times = await runTimes('echo', 'tick');
    for (let i = 1; i < times.length; i += 1) expect(times[i]! - times[i - 1]!).toBe(1000);

    const listed = (await schedules.list()).find((s) => s.id === 'tick')!;
    expect(listed.lastRun).toMatchObject({ state: 'completed' });
    expect(listed.lastRun!.jobId).toMatch(/^repeat:tick:\d+$/);
    expect(listed.nextRuns).toHaveLength(5);

    await schedules.remove({ queue: 'echo', id: 'tick' });
    const after = (await runTimes('echo', 'tick')).length;
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    expect((await runTimes('echo', 'tick')).length).toBe(after);
    expect((await schedules.list()).some((s) => s.id === 'tick')).toBe(false);
  });

  it("a cron schedule's next run times match an independent computation", async () => {
    // 09:30 in Tokyo (UTC+9, no daylight saving) is 00:30 UTC, every day.
    const now = Date.now();
    const expected: number[] = [];
    const day = new Date(now);
    let at = Date.UTC(day.getUTCFullYear(), day.getUTCMonth(), day.getUTCDate(), 0, 30);
    if (at <= now) at += 86_400_000;
    for (let i = 0; i < 5; i += 1) expected.push(at + i * 86_400_000);

    expect(schedules.preview({ cron: '30 9 * * *', tz: 'Asia/Tokyo' }).nextRuns).toEqual(expected);
    const saved = await schedules.save({
      queue: 'echo',
      id: 'tokyo-morning',
      cron: '30 9 * * *',
      tz: 'Asia/Tokyo',
      jobName: 'report',
    });
    expect(saved.nextRuns).toEqual(expected); // the first one is BullMQ's own next run
  });

  it('refuses a bad cron naming the field at fault, in the core and the CLI', async () => {
    const error = await errorOf(() =>
      schedules.save({ queue: 'echo', id: 'bad', cron: '61 * * * *', jobName: 'x' }),
    );
    expect(error.code).toBe('invalid-input');
    expect(error.message).toMatch(/the minute field "61" is invalid/);
    expect(error.hint).toMatch(/0–59/);
    expect((await errorOf(() => schedules.preview({ cron: '0 9 * 13 *' }))).message).toMatch(
      /the month field "13"/,
    );
    expect((await errorOf(() => schedules.preview({ cron: '0 9 * *' }))).message).toMatch(
      /has 4 fields; it needs 5/,
    );
    expect(
      (await errorOf(() => schedules.preview({ cron: '0 9 * * *', tz: 'Mars/Olympus' }))).message,
    ).toMatch(/tz "Mars\/Olympus" is not a known time zone/);

    const cli = await runCli(
      ['schedule', 'add', 'echo', '--cron', '0 25 * * *', '--name', 'x'],
      tc.env,
    );
    expect(cli.code).toBe(2);
    expect(cli.stderr).toMatch(/the hour field "25" is invalid/);
    expect((await schedules.list()).some((s) => s.id === 'bad' || s.id === 'x')).toBe(false);
  });

  it('pauses (no jobs, definition kept) and resumes from the CLI', async () => {
    const add = await runCli(
      [
        'schedule',
        'add',
        'echo',
        '--every',
        '60000',
        '--name',
        'hourly',
        '--data',
        '{"k":"v"}',
        '--json',
      ],
      tc.env,
    );
    expect(add.code, add.stderr).toBe(0);
    expect(JSON.parse(add.stdout)).toMatchObject({ id: 'hourly', every: 60000, data: { k: 'v' } });

    const paused = await runCli(['schedule', 'pause', 'hourly', '--json'], tc.env);
    expect(paused.code, paused.stderr).toBe(0);
    expect(JSON.parse(paused.stdout)).toMatchObject({
      state: 'paused',
      nextRuns: [],
      data: { k: 'v' },
    });
    expect(await service.toolkit().queueObject('echo').getJobScheduler('hourly')).toBeUndefined();

    const resumed = await runCli(['schedule', 'resume', 'hourly', '--json'], tc.env);
    expect(JSON.parse(resumed.stdout)).toMatchObject({
      state: 'active',
      every: 60000,
      data: { k: 'v' },
    });

    const listed = await runCli(['schedules'], tc.env);
    expect(listed.stdout).toMatch(/echo\s+hourly\s+active\s+every 60000 ms/);
  });

  it('survives a restart of the Redis container (AOF)', async () => {
    await schedules.pause({ queue: 'echo', id: 'hourly' });
    // everysec AOF: let one fsync pass; a stop also rewrites nothing away.
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    dockerCli(['restart', `${tc.name}-redis-1`], 120_000);
    await waitFor(
      async () => {
        try {
          await service.redisHealth();
          return true;
        } catch {
          return false;
        }
      },
      60_000,
      'Redis to answer again',
      250,
    );
    const list = await schedules.list();
    expect(list.find((s) => s.id === 'tokyo-morning')).toMatchObject({
      state: 'active',
      tz: 'Asia/Tokyo',
    });
    expect(list.find((s) => s.id === 'hourly')).toMatchObject({
      state: 'paused',
      data: { k: 'v' },
    });
  });
});
