/**
 * Job controls on a real cluster: cancelling a running job in its worker container (shell:
 * process tree gone; processor files: their AbortSignal fires) from the core and the CLI, and a
 * queue's global concurrency honoured by 4 workers at once.
 */
import fs from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { networkName } from '../../main/cluster/naming';
import { JobControls } from '../../main/queues/job-controls';
import { QueuesService } from '../../main/queues/index';
import { GuildhallError } from '../../main/util/errors';
import {
  connectionFromUrl,
  dockerCli,
  JobTracker,
  makeProcessorsDir,
  removeContainerQuietly,
  workerNames,
  writeProcessor,
  type RedisConnection,
} from './helpers/cluster-jobs-kit';
import { waitFor } from './helpers/queues-fixture';
import { runCli } from './helpers/run-cli';
import { createTestCluster, type TestCluster } from './helpers/test-cluster';

const WORKERS = 4;
let tc: TestCluster;
let connection: RedisConnection;
let service: QueuesService;
let controls: JobControls;
let processorsDir: string;
const trackers: JobTracker[] = [];
let silentServer = '';

/** A processor file that runs until its job is cancelled, then stops as the signal asks. */
const WAIT_FOR_ABORT = `
module.exports = async (job, token, signal) => {
  await new Promise((resolve, reject) => {
    signal.addEventListener('abort', () => reject(new Error('stopped on request')), { once: true });
  });
};
`;

beforeAll(async () => {
  tc = await createTestCluster({ workers: WORKERS, concurrency: 4 });
  processorsDir = await makeProcessorsDir();
  await writeProcessor(processorsDir, 'waitabort.js', WAIT_FOR_ABORT);
  await tc.core.settings.update((s) => ({
    ...s,
    cluster: { ...s.cluster, workers: { ...s.cluster.workers, processorsDir } },
  }));
  await tc.core.cluster.up();
  connection = connectionFromUrl(await tc.core.cluster.connectionUrl());
  service = new QueuesService({ connection, cluster: tc.name });
  controls = new JobControls(service.toolkit());
});

afterAll(async () => {
  if (silentServer) removeContainerQuietly(silentServer);
  await Promise.allSettled(trackers.map((t) => t.close()));
  await service?.close();
  await tc?.cleanup();
  if (processorsDir) await fs.rm(processorsDir, { recursive: true, force: true });
});

async function track(queue: string): Promise<JobTracker> {
  const tracker = await JobTracker.open(queue, connection);
  trackers.push(tracker);
  return tracker;
}

/** Command lines of every process in the cluster's worker containers. */
function workerProcesses(): string[] {
  return workerNames(tc.name, WORKERS).flatMap((name) =>
    dockerCli(['top', name, '-eo', 'pid,args']).split('\n').slice(1),
  );
}

async function waitUntilActive(queue: string, id: string): Promise<void> {
  await waitFor(
    async () => (await service.getJob(queue, id)).state === 'active',
    30_000,
    `job ${queue}#${id} to start`,
  );
}

describe('cancel a running job', () => {
  it('stops a sleep 600 shell job within 2 s, its process tree gone from the container, without retrying', async () => {
    const shell = await track('shell');
    const marker = 'sleep 600';
    const job = await shell.queue.add(
      'long',
      // A tree: the shell, a background sleep and a foreground sleep.
      { command: ['/bin/sh', '-c', `${marker} & ${marker}; wait`] },
      { attempts: 3 },
    );
    await waitUntilActive('shell', job.id!);
    await waitFor(
      () => workerProcesses().filter((line) => line.includes(marker)).length >= 2,
      10_000,
      'the sleeps to appear in a worker container',
    );

    const started = Date.now();
    const result = await controls.cancel({ queue: 'shell', id: job.id! });
    await waitFor(
      () => !workerProcesses().some((line) => line.includes(marker)),
      2_000,
      'the process tree to be gone',
      50,
    );
    const elapsed = Date.now() - started;

    expect(result).toMatchObject({ state: 'failed', failedReason: 'cancelled by user' });
    expect(elapsed).toBeLessThan(2_000);
    const detail = await service.getJob('shell', job.id!);
    expect(detail.attemptsMade).toBe(1); // cancelled jobs are not retried
  });

  it('aborts the signal of a processor file, from the CLI', async () => {
    const waitabort = await track('waitabort');
    const id = await waitabort.add({});
    await waitUntilActive('waitabort', id);

    const cli = await runCli(['cancel', 'waitabort', id, '--json'], tc.env);
    expect(cli.code, cli.stderr).toBe(0);
    expect(JSON.parse(cli.stdout)).toMatchObject({ id, state: 'failed' });
    expect((await service.getJob('waitabort', id)).failedReason).toBe('cancelled by user');
  });

  it('aborts the request of an http job to a server that never answers', async () => {
    silentServer = `${tc.name}-silent`;
    dockerCli([
      'run',
      '-d',
      '--init',
      '--name',
      silentServer,
      '--label',
      'io.guildhall.test=job-controls',
      '--network',
      networkName(tc.name),
      '--network-alias',
      'silent',
      process.env.GUILDHALL_WORKER_BASE_IMAGE ?? 'guildhall-offline/node:bookworm',
      'node',
      '-e',
      "require('http').createServer(() => {}).listen(8080, () => console.log('up'))",
    ]);
    await waitFor(
      () => dockerCli(['logs', silentServer]).includes('up'),
      20_000,
      'the silent server',
    );
    const http = await track('http');
    const id = await http.add({ url: 'http://silent:8080/', timeoutMs: 600_000 });
    await waitUntilActive('http', id);

    const result = await controls.cancel({ queue: 'http', id });
    expect(result).toMatchObject({ state: 'failed', failedReason: 'cancelled by user' });
  });

  it('the CLI finds the cancelled shell job by its data', async () => {
    const cli = await runCli(
      ['search', 'shell', '--state', 'failed', '--text', 'SLEEP 600', '--json'],
      tc.env,
    );
    expect(cli.code, cli.stderr).toBe(0);
    const found = cli.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { name: string });
    expect(found.map((job) => job.name)).toEqual(['long']);
    const none = await runCli(
      ['search', 'shell', '--state', 'failed', '--path', 'command.0', '--value', '"nope"'],
      tc.env,
    );
    expect(none.code).toBe(6);
    expect(none.stdout).toMatch(/0 matches among \d+ of \d+ failed job/);
  });

  it('refuses a job that is not running, naming its state', async () => {
    const sleep = await track('sleep');
    const job = await sleep.queue.add('later', { ms: 10 }, { delay: 60_000 });
    const error = await controls.cancel({ queue: 'sleep', id: job.id! }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GuildhallError);
    expect((error as GuildhallError).message).toMatch(/is delayed; only running/);
    expect((error as GuildhallError).hint).toMatch(/Remove it instead/);
    await job.remove();
  });
});

describe('global concurrency', () => {
  it('a global concurrency of 1 set from the CLI is respected by 4 workers', async () => {
    const set = await runCli(['limits', 'sleep', '--concurrency', '1', '--json'], tc.env);
    expect(set.code, set.stderr).toBe(0);
    expect(JSON.parse(set.stdout)).toEqual([{ queue: 'sleep', concurrency: 1, rateLimit: null }]);

    const sleep = await track('sleep');
    const ids = await sleep.addBulk(Array.from({ length: 12 }, () => ({ ms: 150 })));
    await sleep.settled(ids, 60_000);

    const spans = await Promise.all(
      ids.map(async (id) => {
        const job = await sleep.queue.getJob(id);
        return { start: job!.processedOn!, end: job!.finishedOn! };
      }),
    );
    spans.sort((a, b) => a.start - b.start);
    for (let i = 1; i < spans.length; i += 1) {
      expect(spans[i]!.start).toBeGreaterThanOrEqual(spans[i - 1]!.end);
    }
    // Without the limit the 4 workers (concurrency 4 each) run these 12 jobs side by side.

    expect(await controls.setLimits({ queue: 'sleep', concurrency: null })).toEqual({
      queue: 'sleep',
      concurrency: null,
      rateLimit: null,
    });
  });

  it('a rate limit is stored, shown and removed', async () => {
    const limits = await controls.setLimits({
      queue: 'http',
      rateLimit: { max: 5, durationMs: 1000 },
    });
    expect(limits.rateLimit).toEqual({ max: 5, durationMs: 1000 });
    const all = await controls.listLimits();
    expect(all.find((l) => l.queue === 'http')?.rateLimit).toEqual({ max: 5, durationMs: 1000 });
    await controls.setLimits({ queue: 'http', rateLimit: null });
    expect((await controls.getLimits('http')).rateLimit).toBeNull();
  });
});
