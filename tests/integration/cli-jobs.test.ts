/**
 * Jobs from the built CLI against a real cluster: `jobs` lists recent jobs of any state with what
 * BullMQ does about attempts, `jobs --json` and `job` show a job's result, failure and log, and
 * `add` refuses built-in job data the worker would fail.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { Job, Queue, QueueEvents } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './helpers/run-cli';
import { createTestCluster, type TestCluster } from './helpers/test-cluster';

let cluster: TestCluster;
let url: string;
let connection: Redis;
let processors: string | undefined;
/** QueueEvents block on their connection: each gets its own. */
const eventsConnections: Redis[] = [];
const queues: Queue[] = [];
const events: QueueEvents[] = [];

async function bullmq(name: string): Promise<{ queue: Queue; events: QueueEvents }> {
  const queue = new Queue(name, { connection });
  const own = new Redis(url, { maxRetriesPerRequest: null });
  eventsConnections.push(own);
  const queueEvents = new QueueEvents(name, { connection: own });
  await queueEvents.waitUntilReady();
  queues.push(queue);
  events.push(queueEvents);
  return { queue, events: queueEvents };
}

/** The README's example processor file. */
const RESIZE_PROCESSOR = `export default async function (job) {
  await job.log(\`resizing \${job.data.file} to \${job.data.width}px\`);
  return { file: job.data.file, width: job.data.width };
}
`;

beforeAll(async () => {
  cluster = await createTestCluster({ workers: 1 });
  // As the README has a CLI-only user do it: the processors folder set with `config set`.
  // Beside Guildhall's folder, not inside it (the settings rules refuse that).
  processors = `${cluster.home}-processors`;
  await fs.mkdir(processors);
  await fs.writeFile(path.join(processors, 'resize.mjs'), RESIZE_PROCESSOR);
  const set = await runCli(['config', 'set', 'workers.processorsDir', processors], cluster.env);
  expect(set.code).toBe(0);
  await cluster.core.cluster.up();
  url = await cluster.core.cluster.connectionUrl();
  connection = new Redis(url, { maxRetriesPerRequest: null });
});
afterAll(async () => {
  await Promise.all(events.map((e) => e.close()));
  await Promise.all(queues.map((q) => q.close()));
  connection?.disconnect();
  for (const own of eventsConnections) own.disconnect();
  await cluster?.cleanup();
  if (processors) await fs.rm(processors, { recursive: true, force: true });
});

describe('guildhall jobs and job', () => {
  it('lists a job added without attempts as 1/1, among recent jobs of any state, with its result', async () => {
    const { queue, events: echoEvents } = await bullmq('echo');
    // As the README's BullMQ snippet does: no attempts option.
    const done = await queue.add('plain', { hello: 'bullmq' });
    await done.waitUntilFinished(echoEvents, 30_000);
    const waiting = await queue.add('later', { n: 2 }, { delay: 60_000 });

    const list = await runCli(['jobs', 'echo'], cluster.env);
    expect(list.code).toBe(0);
    const rows = list.stdout.split('\n');
    expect(rows[0]).toMatch(/^ID\s+NAME\s+STATE\s+ATTEMPTS\s+/);
    expect(rows.find((row) => row.startsWith(`${done.id} `))).toMatch(
      /\bplain\s+completed\s+1\/1\s/,
    );
    expect(rows.find((row) => row.startsWith(`${waiting.id} `))).toMatch(
      /\blater\s+delayed\s+0\/1\s/,
    );
    expect(list.stdout).toMatch(/Showing the 2 most recent of 2 job\(s\) in queue echo, any state/);

    const json = await runCli(['jobs', 'echo', '--json'], cluster.env);
    const entries = JSON.parse(json.stdout);
    expect(entries.state).toBe('any');
    const entry = entries.jobs.find((job: { id: string }) => job.id === done.id);
    expect(entry).toMatchObject({ state: 'completed', attemptsMade: 1, maxAttempts: 1 });
    expect(entry.returnvalue).toEqual({ hello: 'bullmq' });

    const completed = await runCli(['jobs', 'echo', '--state', 'completed'], cluster.env);
    expect(completed.stdout).toMatch(/Showing 1 of 1 completed job\(s\) in queue echo/);
    const failed = await runCli(['jobs', 'echo', '--state', 'failed'], cluster.env);
    expect(failed.stdout).toBe('No failed jobs in queue echo.\n');
  });

  it("job shows a completed job's data and result, and a failed job's reason and log", async () => {
    const { queue: echo, events: echoEvents } = await bullmq('echo');
    const ok = await echo.add('greet', { message: 'hi' });
    await ok.waitUntilFinished(echoEvents, 30_000);
    const shown = await runCli(['job', 'echo', ok.id!], cluster.env);
    expect(shown.code).toBe(0);
    expect(shown.stdout).toMatch(
      new RegExp(`^Job ${ok.id} \\(greet\\) in queue echo: completed\\n`),
    );
    expect(shown.stdout).toMatch(/Attempts {3}1\/1\n/);
    expect(shown.stdout).toMatch(/Finished {3}\d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ\n/);
    expect(shown.stdout).toContain('Data\n  {\n    "message": "hi"\n  }\n');
    expect(shown.stdout).toContain('Result\n  {\n    "message": "hi"\n  }\n');

    const { queue: shell, events: shellEvents } = await bullmq('shell');
    const bad = await shell.add('fails', { command: ['sh', '-c', 'echo working; exit 3'] });
    await expect(bad.waitUntilFinished(shellEvents, 30_000)).rejects.toThrow();
    const failed = await runCli(['job', 'shell', bad.id!], cluster.env);
    expect(failed.code).toBe(0);
    expect(failed.stdout).toMatch(/: failed\n/);
    expect(failed.stdout).toMatch(/Failed reason\n {2}.*exit(ed)? .*3/);
    expect(failed.stdout).toMatch(/Log \(last \d+ of \d+ lines\)\n(.*\n)* {2}working\n/);
    expect(failed.stdout).not.toContain('Result');

    const asJson = JSON.parse(
      (await runCli(['job', 'echo', ok.id!, '--json'], cluster.env)).stdout,
    );
    expect(asJson).toMatchObject({ id: ok.id, state: 'completed', returnvalue: { message: 'hi' } });
    expect(asJson.data).toEqual({ message: 'hi' });
  });

  it('a missing job exits 6 with a fix line', async () => {
    const result = await runCli(['job', 'echo', 'no-such-id'], cluster.env);
    expect(result.code).toBe(6);
    expect(result.stderr).toMatch(
      /^guildhall: Queue "echo" has no job with id "no-such-id"\.\n {2}fix: .+\n$/,
    );
  });
});

describe("the README's processor file, set up from the CLI", () => {
  it('runs jobs added with guildhall add; guildhall job shows the result and the log', async () => {
    const added = await runCli(
      ['add', 'resize', '{"file": "a.png", "width": 640}', '--json'],
      cluster.env,
    );
    expect(added.code).toBe(0);
    const { id } = JSON.parse(added.stdout);
    await expect
      .poll(
        async () => JSON.parse((await runCli(['job', 'resize', id, '--json'], cluster.env)).stdout),
        { timeout: 30_000, interval: 500 },
      )
      .toMatchObject({
        state: 'completed',
        returnvalue: { file: 'a.png', width: 640 },
        logs: ['resizing a.png to 640px'],
      });
  });
});

describe('guildhall add checks built-in job data', () => {
  it('refuses a shell command given as a string, naming the field, and adds nothing', async () => {
    const shell = new Queue('shell', { connection });
    queues.push(shell);
    const before = await shell.getJobCounts();
    const result = await runCli(['add', 'shell', '{"command":"ls -la"}'], cluster.env);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(
      'guildhall: The job data does not fit queue shell: command: expected a non-empty array of strings, like ["echo", "hi"].\n' +
        `  fix: Example: guildhall add shell '{"command":["echo","hello from Guildhall"]}'\n`,
    );
    expect(await shell.getJobCounts()).toEqual(before);

    const good = await runCli(['add', 'shell', '{"command":["ls","-la"]}', '--json'], cluster.env);
    expect(good.code).toBe(0);
    const { id } = JSON.parse(good.stdout);
    expect(await Job.fromId(shell, id)).toBeTruthy();
  });
});
