/**
 * User processor files: `<queue>.js|.mjs|.cjs` in the processors folder handle their queue as
 * BullMQ sandboxed processors, and changing one makes the worker finish its active jobs, record
 * the planned reload in Redis and exit with the reload code, so it restarts with the new code
 * and the restart is not counted as a crash. Real worker bundle, real Redis, real BullMQ.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reloadsKey, WORKER_EXIT_CODES } from '../../main/shared/worker-contract';
import {
  buildWorkerBundle,
  killRunningWorkers,
  queueClient,
  startTestRedis,
  startWorker,
  waitFor,
  type QueueClient,
  type TestRedis,
} from './worker-harness';

let redis: TestRedis;
let dir: string;
let resize: QueueClient;
let greet: QueueClient;
let echo: QueueClient;

function resizeProcessor(factor: number): string {
  return `module.exports = async (job) => {
  await new Promise((resolve) => setTimeout(resolve, job.data.waitMs ?? 0));
  return { result: job.data.n * ${factor}, factor: ${factor}, pid: process.pid };
};
`;
}

beforeAll(async () => {
  buildWorkerBundle();
  redis = await startTestRedis();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ghwtest-processors-'));
  fs.writeFileSync(path.join(dir, 'resize.js'), resizeProcessor(2));
  fs.writeFileSync(
    path.join(dir, 'greet.mjs'),
    'export default async function greet(job) { return `hello ${job.data.who}`; }\n',
  );
  fs.writeFileSync(path.join(dir, 'notes.txt'), 'not a processor');
  [resize, greet, echo] = await Promise.all([
    queueClient(redis, 'resize'),
    queueClient(redis, 'greet'),
    queueClient(redis, 'echo'),
  ]);
});

afterAll(async () => {
  await Promise.all([resize, greet, echo].map((client) => client?.close()));
  killRunningWorkers();
  await redis?.stop();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

describe('user processors', () => {
  it('handle their queues in a sandbox next to the built-ins, and reload by exiting with the reload code', async () => {
    const first = await startWorker(redis, { processorsDir: dir, concurrency: 2 });
    expect(first.output()).toContain(`resize (${path.join(dir, 'resize.js')})`);

    const doubled = (await resize.run({ n: 21 })) as { result: number; pid: number };
    expect(doubled).toMatchObject({ result: 42, factor: 2 });
    expect(doubled.pid).not.toBe(first.pid);
    expect(await greet.run({ who: 'guild' })).toBe('hello guild');
    expect(await echo.run({ still: 'built in' })).toEqual({ still: 'built in' });

    // A job is running when the file changes: it must finish on the old code before the exit.
    const running = await resize.add({ n: 5, waitMs: 2_000 });
    await waitFor('the job to start', async () =>
      (await running.getState()) === 'active' ? true : undefined,
    );
    fs.writeFileSync(path.join(dir, 'resize.js'), resizeProcessor(3));
    await first.waitForOutput(/processor files in .* changed/, 10_000);
    // Jobs added while the worker drains wait for the next one.
    const queued = await resize.add({ n: 5 });

    expect(await resize.finished(running)).toMatchObject({ result: 10, factor: 2 });
    expect(await first.exited).toEqual({ code: WORKER_EXIT_CODES.reload, signal: null });
    // The reload was recorded before the exit, so the restart that follows is not a crash.
    const reloads = redis.client();
    try {
      expect(await reloads.zcard(reloadsKey(first.cluster, first.name))).toBe(1);
    } finally {
      reloads.disconnect();
    }
    expect(await queued.getState()).toBe('waiting');

    const second = await startWorker(redis, { processorsDir: dir });
    expect(await resize.finished(queued)).toMatchObject({ result: 15, factor: 3 });
    second.child.kill('SIGTERM');
    expect((await second.exited).code).toBe(0);
  });

  it('exits to reload when a processor file is added, so the new queue gets consumed', async () => {
    const worker = await startWorker(redis, { processorsDir: dir });
    fs.writeFileSync(
      path.join(dir, 'shout.cjs'),
      'module.exports = async (job) => job.data.text.toUpperCase();\n',
    );
    try {
      expect(await worker.exited).toEqual({ code: WORKER_EXIT_CODES.reload, signal: null });
      const next = await startWorker(redis, { processorsDir: dir });
      const shout = await queueClient(redis, 'shout');
      try {
        expect(await shout.run({ text: 'hey' })).toBe('HEY');
      } finally {
        await shout.close();
      }
      next.child.kill('SIGTERM');
      await next.exited;
    } finally {
      fs.rmSync(path.join(dir, 'shout.cjs'), { force: true });
    }
  });

  it('ignores changes to files of queues it does not consume', async () => {
    const worker = await startWorker(redis, { processorsDir: dir, queues: 'greet' });
    fs.writeFileSync(path.join(dir, 'resize.js'), resizeProcessor(4));
    fs.writeFileSync(path.join(dir, 'notes.txt'), 'still not a processor');
    // Longer than the watcher's poll interval plus its debounce.
    await new Promise((resolve) => setTimeout(resolve, 3_500));
    expect(worker.child.exitCode).toBeNull();
    expect(await greet.run({ who: 'again' })).toBe('hello again');
    worker.child.kill('SIGTERM');
    expect((await worker.exited).code).toBe(0);
  });

  it('fails the jobs of a file with a syntax error naming the file and line (CommonJS and ES module)', async () => {
    const brokenDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ghwtest-broken-'));
    const cjs = path.join(brokenDir, 'brokencjs.js');
    const esm = path.join(brokenDir, 'brokenesm.mjs');
    fs.writeFileSync(cjs, 'module.exports = async (job) => {\n  return job.data;\n');
    fs.writeFileSync(esm, 'export default async function (job) {\n  return job.data;\n');
    const [brokenCjs, brokenEsm] = await Promise.all([
      queueClient(redis, 'brokencjs'),
      queueClient(redis, 'brokenesm'),
    ]);
    const worker = await startWorker(redis, {
      processorsDir: brokenDir,
      queues: 'brokencjs,brokenesm',
    });
    try {
      await expect(brokenCjs.run({ n: 1 })).rejects.toThrow(
        `syntax error in ${cjs} line 3: Unexpected end of input`,
      );
      await expect(brokenEsm.run({ n: 1 })).rejects.toThrow(
        `syntax error in ${esm} line 3: Unexpected end of input`,
      );
    } finally {
      worker.child.kill('SIGTERM');
      await worker.exited;
      await Promise.all([brokenCjs.close(), brokenEsm.close()]);
      fs.rmSync(brokenDir, { recursive: true, force: true });
    }
  });
});
