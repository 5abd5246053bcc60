/**
 * Real jobs through a real cluster: workers in containers built by the core, the cluster's
 * password-protected Redis, real BullMQ producers. One cluster serves the whole file; it runs 4
 * workers for the load test and 2 otherwise.
 */
import fs from 'node:fs/promises';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { networkName } from '../../main/cluster/naming';
import { HEARTBEAT_TTL_MS } from '../../main/shared/worker-contract';
import { QueuesService, type AddJobInput, type JobDetail } from '../../main/queues/index';
import { GuildhallError } from '../../main/util/errors';
import {
  connectionFromUrl,
  dockerCli,
  heartbeats,
  JobTracker,
  makeProcessorsDir,
  openRedis,
  removeContainerQuietly,
  runExternalClient,
  runJob,
  startWebServer,
  sum,
  workerNames,
  writeProcessor,
  type RedisConnection,
} from './helpers/cluster-jobs-kit';
import { waitFor } from './helpers/queues-fixture';
import { runCli } from './helpers/run-cli';
import { createTestCluster, docker, type TestCluster } from './helpers/test-cluster';

let tc: TestCluster;
let connection: RedisConnection;
let service: QueuesService;
let redis: Redis;
const trackers: JobTracker[] = [];
const scratch: string[] = [];
const extraContainers: string[] = [];

beforeAll(async () => {
  // Processor-file jobs run one Node process each (about 50–80 MB): give 10 of them room.
  tc = await createTestCluster({ workers: 4, concurrency: 10, memoryMb: 1536 });
  await tc.core.cluster.up();
  connection = connectionFromUrl(await tc.core.cluster.connectionUrl());
  service = new QueuesService({ connection, cluster: tc.name });
  redis = await openRedis(connection);
});

afterAll(async () => {
  await Promise.allSettled(trackers.map((t) => t.close()));
  await service?.close();
  redis?.disconnect();
  extraContainers.forEach(removeContainerQuietly);
  await tc?.cleanup();
  await Promise.all(scratch.map((dir) => fs.rm(dir, { recursive: true, force: true })));
});

async function track(queue: string): Promise<JobTracker> {
  const tracker = await JobTracker.open(queue, connection);
  trackers.push(tracker);
  return tracker;
}

/** Scales the cluster's workers when the count differs (scale waits for their heartbeats). */
async function useWorkers(count: number): Promise<string[]> {
  const { spec } = await tc.core.cluster.spec();
  if (spec.workers.replicas !== count) await tc.core.cluster.scale(count);
  return workerNames(tc.name, count);
}

const runThroughCore = (input: AddJobInput): Promise<JobDetail> => runJob(service, input);

describe('jobs through the cluster', () => {
  it('10,000 echo jobs through 4 worker containers: counts, metrics and heartbeats agree', async () => {
    const names = await useWorkers(4);
    const before = await heartbeats(redis, tc.name);
    expect([...before.keys()].sort()).toEqual([...names].sort());
    expect([...before.values()].every((b) => b.concurrency === 10)).toBe(true);

    const echo = await track('echo');
    const ids: string[] = [];
    for (let batch = 0; batch < 10; batch++) {
      const items = Array.from({ length: 1_000 }, (_, i) => ({ i: batch * 1_000 + i }));
      ids.push(...(await echo.addBulk(items, 'load')));
    }
    expect(new Set(ids).size).toBe(10_000);

    await waitFor(
      async () => {
        const { counts } = await service.getQueue('echo');
        return counts.completed + counts.failed >= 10_000;
      },
      150_000,
      'all 10,000 echo jobs to finish',
      500,
    );
    const summary = await service.getQueue('echo');
    expect(summary.counts).toMatchObject({
      completed: 10_000,
      failed: 0,
      waiting: 0,
      active: 0,
      delayed: 0,
      prioritized: 0,
    });
    // Each job's result is its own data, spot-checked across the range.
    for (const index of [0, 4_321, 9_999]) {
      const job = await service.getJob('echo', ids[index]!);
      expect(job.returnvalue).toEqual({ i: index });
    }

    const metrics = await service.getMetrics({ queue: 'echo', minutes: 15 });
    expect(metrics.collected).toBe(true);
    expect(sum(metrics.completed.perMinute)).toBe(10_000);
    expect(metrics.completed.total).toBe(10_000);
    expect(sum(metrics.failed.perMinute)).toBe(0);

    // Every container took part, and their own counts add up to the queue's.
    let processed = new Map<string, number>();
    await waitFor(
      async () => {
        const now = await heartbeats(redis, tc.name);
        processed = new Map(
          names.map((n) => [n, (now.get(n)?.processed ?? 0) - (before.get(n)?.processed ?? 0)]),
        );
        return sum([...processed.values()]) >= 10_000;
      },
      10_000,
      'the heartbeats to report every processed job',
      200,
    );
    const after = await heartbeats(redis, tc.name);
    for (const name of names) {
      expect(after.get(name)?.startedAt, `${name} did not restart`).toBe(
        before.get(name)?.startedAt,
      );
      expect(after.get(name)?.failed, `${name} failed nothing`).toBe(before.get(name)?.failed);
      expect(processed.get(name), `${name} processed some jobs`).toBeGreaterThan(0);
    }
    expect(sum([...processed.values()])).toBe(10_000);
  });

  it('a client that is not Guildhall’s uses the URL from `guildhall connect` to run 50 jobs', async () => {
    const cli = await runCli(['connect'], tc.env);
    expect(cli.code).toBe(0);
    const url = cli.stdout.trim();
    expect(url).toMatch(/^redis:\/\/default:[^@\s]+@127\.0\.0\.1:\d+$/);

    const run = await runExternalClient(url, 50);
    expect(run.code, run.stderr).toBe(0);
    const results = JSON.parse(run.stdout) as unknown[];
    expect(results).toHaveLength(50);
    results.forEach((result, n) => expect(result).toEqual({ n, from: 'outside' }));
    expect(`${run.stdout}${run.stderr}`.includes(connection.password)).toBe(false);
  });

  // A crash, as the OOM killer or a dying process does it: SIGKILL to the container's main
  // process from the host. (`docker kill` is a manual stop to the engine; see the next test.)
  it('kill -9 of a worker holding active jobs loses none; the engine restarts it', async () => {
    const [victim] = await useWorkers(2);
    const sleep = await track('sleep');
    const container = docker.getContainer(victim!);
    const inspected = await container.inspect();
    const beatBefore = (await heartbeats(redis, tc.name)).get(victim!);
    expect(beatBefore).toBeDefined();

    const ids = await sleep.addBulk(
      Array.from({ length: 40 }, () => ({ ms: 1_500 })),
      'nap',
    );
    await waitFor(
      async () => ((await heartbeats(redis, tc.name)).get(victim!)?.activeJobs.length ?? 0) >= 3,
      20_000,
      `${victim} to hold active jobs`,
      50,
    );
    const live = await container.inspect();
    expect(live.State.Running).toBe(true);
    const killedAt = Date.now();
    process.kill(live.State.Pid, 'SIGKILL');

    // The old instance's heartbeat is gone within its TTL (expired or replaced by the restart).
    await waitFor(
      async () => {
        const beat = (await heartbeats(redis, tc.name)).get(victim!);
        return beat === undefined || beat.startedAt > killedAt;
      },
      HEARTBEAT_TTL_MS + 2_000,
      `the heartbeat of the killed ${victim} to disappear`,
      200,
    );

    // Locks expire, the stalled check returns the jobs, and each one completes exactly once.
    await sleep.settled(ids, 45_000);
    expect(sleep.failures.size).toBe(0);
    for (const id of ids) {
      expect(sleep.completions.get(id), `completions of sleep#${id}`).toBe(1);
      expect(sleep.results.get(id)).toEqual({ sleptMs: 1_500 });
    }
    expect(sleep.stalled.size).toBeGreaterThan(0);
    for (const id of sleep.stalled) expect(ids).toContain(id);
    const counts = (await service.getQueue('sleep')).counts;
    expect(counts).toMatchObject({ completed: 40, failed: 0, active: 0, waiting: 0 });

    // The restart policy brought the same container back; a new process beats for it.
    const now = await container.inspect();
    expect(now.Id).toBe(inspected.Id);
    expect(now.RestartCount).toBeGreaterThan(inspected.RestartCount);
    expect(now.State.Running).toBe(true);
    await waitFor(
      async () => ((await heartbeats(redis, tc.name)).get(victim!)?.startedAt ?? 0) > killedAt,
      30_000,
      `the restarted ${victim} to send a heartbeat`,
      200,
    );
  });

  it('`docker kill --signal KILL` is a manual stop to the engine; `up` starts the worker again', async () => {
    const [, victim] = await useWorkers(2);
    const container = docker.getContainer(victim!);
    const killedAt = Date.now();
    dockerCli(['kill', '--signal', 'KILL', victim!]);
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    const stopped = await container.inspect();
    expect(stopped.State.Running).toBe(false);
    expect(stopped.State.ExitCode).toBe(137);

    const status = await tc.core.cluster.up();
    expect(status.workers.map((w) => w.name)).toContain(victim);
    expect((await container.inspect()).State.Running).toBe(true);
    await waitFor(
      async () => ((await heartbeats(redis, tc.name)).get(victim!)?.startedAt ?? 0) > killedAt,
      20_000,
      `the started ${victim} to send a heartbeat`,
      200,
    );
  });

  it('shell jobs: output captured, exit code returned, failures, timeout and bad data', async () => {
    await useWorkers(2);
    const [ok, exit3, timeout, bad] = await Promise.all([
      runThroughCore({
        queue: 'shell',
        data: { command: ['sh', '-c', 'echo "ran in $(hostname)"; echo careful >&2'] },
      }),
      runThroughCore({ queue: 'shell', data: { command: ['sh', '-c', 'echo broke >&2; exit 3'] } }),
      runThroughCore({ queue: 'shell', data: { command: ['sleep', '30'], timeoutMs: 1_000 } }),
      runThroughCore({ queue: 'shell', data: { command: 'ls -l' } }),
    ]);

    expect(ok.state).toBe('completed');
    expect(ok.returnvalue).toMatchObject({ exitCode: 0, stderrTail: 'careful\n' });
    // It ran inside one of the cluster's worker containers (their hostname is their name).
    expect((ok.returnvalue as { stdoutTail: string }).stdoutTail).toMatch(
      new RegExp(`^ran in ${tc.name}-worker-[12]\\n$`),
    );

    expect(exit3.state).toBe('failed');
    expect(exit3.failedReason).toBe('command exited with code 3: broke');

    expect(timeout.state).toBe('failed');
    expect(timeout.failedReason).toBe('timed out after 1000 ms');
    expect(timeout.finishedOn! - timeout.processedOn!).toBeLessThan(10_000);

    expect(bad.state).toBe('failed');
    expect(bad.failedReason).toMatch(/^invalid job data: command: expected a non-empty array/);
  });

  it('http jobs reach a server on the cluster network and return status and body', async () => {
    await useWorkers(2);
    const web = `${tc.name}-web`;
    extraContainers.push(web);
    await startWebServer(web, networkName(tc.name));
    try {
      const [get, post, missing] = await Promise.all([
        runThroughCore({ queue: 'http', data: { url: 'http://web:8080/hello?x=1' } }),
        runThroughCore({
          queue: 'http',
          data: { url: 'http://web:8080/items', method: 'post', body: { a: 1 } },
        }),
        runThroughCore({
          queue: 'http',
          data: { url: 'http://web:8080/missing', failOnHttpError: true },
        }),
      ]);
      expect(get.state).toBe('completed');
      const got = get.returnvalue as {
        status: number;
        body: string;
        headers: Record<string, string>;
      };
      expect(got.status).toBe(200);
      expect(got.headers['x-served-by']).toBe('web');
      expect(JSON.parse(got.body)).toEqual({ method: 'GET', url: '/hello?x=1', body: '' });

      expect(post.state).toBe('completed');
      const posted = post.returnvalue as { status: number; body: string };
      expect(posted.status).toBe(200);
      expect(JSON.parse(posted.body)).toEqual({ method: 'POST', url: '/items', body: '{"a":1}' });

      expect(missing.state).toBe('failed');
      expect(missing.failedReason).toBe('GET http://web:8080/missing returned HTTP 404 Not Found');
    } finally {
      removeContainerQuietly(web);
    }
  });

  it('bad actions through the queues core get clear errors and add nothing', async () => {
    const rejected = async (run: () => Promise<unknown>): Promise<GuildhallError> => {
      const err = await run().then(
        () => null,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(GuildhallError);
      return err as GuildhallError;
    };

    const unknown = await rejected(() => service.getQueue('no-such-queue'));
    expect(unknown.code).toBe('not-found');
    expect(unknown.message).toBe(
      `There is no queue named "no-such-queue" in cluster "${tc.name}".`,
    );
    expect(unknown.hint).toContain('echo');

    const nonJson = await rejected(() =>
      service.addJob({ queue: 'ghbad', data: { size: Number.NaN } }),
    );
    expect(nonJson.code).toBe('invalid-input');
    expect(nonJson.message).toContain('data.size is NaN, which JSON cannot represent');

    const oversized = await rejected(() =>
      service.addJob({ queue: 'ghbad', data: { blob: 'x'.repeat(600 * 1024) } }),
    );
    expect(oversized.code).toBe('invalid-input');
    expect(oversized.message).toMatch(/data is 600 KiB .* the limit is 512 KiB/);

    const negative = await rejected(() =>
      service.addJob({ queue: 'ghbad', data: {}, options: { delay: -5 } }),
    );
    expect(negative.code).toBe('invalid-input');
    expect(negative.message).toContain('delay must be 0 or more');

    for (const err of [unknown, nonJson, oversized, negative]) {
      expect(err.hint, err.message).toBeTruthy();
      expect(err.message.includes(connection.password)).toBe(false);
    }
    expect(await service.refreshQueues()).not.toContain('ghbad');
  });

  it('a user processor file runs; editing it rolls the workers and no job is lost', async () => {
    const names = await useWorkers(2);
    const dir = await makeProcessorsDir();
    scratch.push(dir);
    const processor = (factor: number) =>
      `module.exports = async (job) => ({ width: job.data.width * ${factor}, factor: ${factor} });\n`;
    await writeProcessor(dir, 'resize.js', processor(2));
    await tc.core.settings.update((s) => ({
      ...s,
      cluster: { ...s.cluster, workers: { ...s.cluster.workers, processorsDir: dir } },
    }));
    await tc.core.cluster.up();

    const resize = await track('resize');
    const first = await resize.add({ width: 10 });
    await resize.settled([first], 30_000);
    expect(resize.results.get(first)).toEqual({ width: 20, factor: 2 });

    // Watch each worker's heartbeat: when its old instance stops serving (state "stopping",
    // heartbeat gone, or a new instance beating) and when the new instance is up.
    const started = await heartbeats(redis, tc.name);
    const oldStart = new Map(names.map((n) => [n, started.get(n)!.startedAt]));
    const stoppedAt = new Map<string, number>();
    const restartedAt = new Map<string, number>();
    let watching = true;
    const watcher = (async () => {
      while (watching) {
        const now = await heartbeats(redis, tc.name);
        const at = Date.now();
        for (const name of names) {
          const beat = now.get(name);
          const old = beat?.startedAt === oldStart.get(name);
          if (!stoppedAt.has(name) && (!old || beat?.state === 'stopping')) stoppedAt.set(name, at);
          if (!restartedAt.has(name) && beat && !old) restartedAt.set(name, beat.startedAt);
        }
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    })();

    await writeProcessor(dir, 'resize.js', processor(3));
    // A steady stream while the workers restart one after another: 200 jobs over ~10 s.
    const stream: string[] = [];
    try {
      for (let width = 1; width <= 200; width++) {
        stream.push(await resize.add({ width }));
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      const streamEndedAt = Date.now();
      await waitFor(
        () => restartedAt.size === names.length,
        45_000,
        'every worker to restart with the new processor file',
        100,
      );
      // Both old instances stopped while jobs were still arriving, one after another: worker-2
      // left only once worker-1's new instance was running, so one worker always served.
      const [w1, w2] = names.map((n) => stoppedAt.get(n)!);
      expect(w2!).toBeGreaterThan(w1!);
      expect(w2!).toBeGreaterThanOrEqual(restartedAt.get(names[0]!)!);
      expect(w2!).toBeLessThan(streamEndedAt);
    } finally {
      watching = false;
      await watcher;
    }

    await resize.settled(stream, 60_000);
    expect(resize.failures.size).toBe(0);
    const factors = new Set<number>();
    stream.forEach((id, i) => {
      expect(resize.completions.get(id), `completions of resize#${id}`).toBe(1);
      const result = resize.results.get(id) as { width: number; factor: number };
      expect(result.width).toBe((i + 1) * result.factor);
      factors.add(result.factor);
    });
    expect(factors.has(3)).toBe(true);

    const next = await resize.add({ width: 10 });
    await resize.settled([next], 30_000);
    expect(resize.results.get(next)).toEqual({ width: 30, factor: 3 });
    expect((await service.getQueue('resize')).counts).toMatchObject({ failed: 0, active: 0 });
  });
});
