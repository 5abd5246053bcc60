/**
 * The worker program's life outside of jobs: heartbeats, graceful and forced stops, bad
 * configuration and the --healthcheck flag. Real worker bundle, real Redis, real BullMQ.
 */
import fs from 'node:fs';
import net, { type AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  BUILTIN_QUEUES,
  HEARTBEAT_INTERVAL_MS,
  HEARTBEAT_TTL_MS,
  WORKER_ENV,
  heartbeatIndexKey,
  heartbeatKey,
  heartbeatSchema,
  type Heartbeat,
} from '../../main/shared/worker-contract';
import {
  buildWorkerBundle,
  docker,
  killRunningWorkers,
  queueClient,
  runRedisContainer,
  spawnBundle,
  startTestRedis,
  startWorker,
  uniqueName,
  waitFor,
  workerEnv,
  type QueueClient,
  type TestRedis,
} from './worker-harness';
import { cancelChannel } from '../../main/cluster/cancel-contract';
import { findFreePort } from '../../main/util/ports';
import { JOB_EVENT_GAP_MS } from '../../resources/worker/src/heartbeat';

let redis: TestRedis;
let reader: Redis;
let sleep: QueueClient;
let scratch: string;

beforeAll(async () => {
  buildWorkerBundle();
  redis = await startTestRedis();
  reader = redis.client();
  sleep = await queueClient(redis, 'sleep');
  scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'ghwtest-lifecycle-'));
});

afterAll(async () => {
  await sleep?.close();
  killRunningWorkers();
  await redis?.stop();
  if (scratch) fs.rmSync(scratch, { recursive: true, force: true });
});

async function readHeartbeat(cluster: string, name: string): Promise<Heartbeat | undefined> {
  const raw = await reader.get(heartbeatKey(cluster, name));
  return raw === null ? undefined : heartbeatSchema.parse(JSON.parse(raw));
}

describe('heartbeat', () => {
  it('publishes state, active jobs and counts, and expires within the TTL after SIGKILL', async () => {
    const cluster = uniqueName('hb');
    const worker = await startWorker(redis, { cluster, concurrency: 3 });

    const idle = await waitFor('an idle heartbeat', async () => {
      const beat = await readHeartbeat(cluster, worker.name);
      return beat?.state === 'idle' ? beat : undefined;
    });
    expect(idle).toMatchObject({
      name: worker.name,
      queues: [...BUILTIN_QUEUES],
      concurrency: 3,
      activeJobs: [],
      processed: 0,
      failed: 0,
      lastError: null,
      pid: worker.pid,
    });
    expect(idle.version).toMatch(/^\d+\.\d+\.\d+/);
    expect(await reader.sismember(heartbeatIndexKey(cluster), worker.name)).toBe(1);
    const ttl = await reader.pttl(heartbeatKey(cluster, worker.name));
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(HEARTBEAT_TTL_MS);

    const job = await sleep.add({ ms: 1_500 });
    const busy = await waitFor('a busy heartbeat', async () => {
      const beat = await readHeartbeat(cluster, worker.name);
      return beat?.state === 'busy' ? beat : undefined;
    });
    expect(busy.activeJobs).toEqual([{ queue: 'sleep', id: job.id }]);
    await sleep.finished(job);
    await expect(sleep.run({ ms: -1 })).rejects.toThrow('invalid job data');

    const after = await waitFor('counts in the heartbeat', async () => {
      const beat = await readHeartbeat(cluster, worker.name);
      return beat?.processed === 2 && beat.state === 'idle' ? beat : undefined;
    });
    expect(after.failed).toBe(1);
    expect(after.avgDurationMs).toBeGreaterThan(0);
    expect(after.lastError).toContain('invalid job data: ms:');

    worker.child.kill('SIGKILL');
    await worker.exited;
    const killedAt = Date.now();
    await waitFor(
      'the heartbeat to expire',
      async () =>
        (await reader.exists(heartbeatKey(cluster, worker.name))) === 0 ? true : undefined,
      HEARTBEAT_TTL_MS + 2_000,
    );
    expect(Date.now() - killedAt).toBeLessThanOrEqual(HEARTBEAT_TTL_MS + 1_500);
  });
});

describe('heartbeat writes under load', () => {
  it('a burst of jobs costs a few heartbeat writes, and the last one has every count', async () => {
    const own = await startTestRedis(); // nothing else consumes its queues
    const monitor = await own.client().monitor();
    try {
      const cluster = uniqueName('burst');
      const key = heartbeatKey(cluster, 'burst-worker');
      let writes = 0;
      monitor.on('monitor', (_time: string, args: string[]) => {
        if (args[0]?.toLowerCase() === 'set' && args[1] === key) writes++;
      });
      const worker = await startWorker(own, {
        cluster,
        name: 'burst-worker',
        queues: 'echo',
        concurrency: 10,
      });
      const echo = await queueClient(own, 'echo');
      const jobs = 400;
      const started = Date.now();
      const added = await echo.queue.addBulk(
        Array.from({ length: jobs }, (_, i) => ({ name: 'burst', data: { i } })),
      );
      const warnings: Error[] = [];
      const onWarning = (warning: Error) => warnings.push(warning);
      process.on('warning', onWarning);
      try {
        await echo.allFinished(added);
        // Waiting for a batch leaks no listeners (one per job warned in every test run).
        await new Promise((resolve) => setImmediate(resolve));
        expect(warnings.filter((w) => w.name === 'MaxListenersExceededWarning')).toEqual([]);
      } finally {
        process.off('warning', onWarning);
      }
      const reader = own.client();
      const last = await waitFor('every job counted in the heartbeat', async () => {
        const raw = await reader.get(key);
        const beat = raw === null ? undefined : heartbeatSchema.parse(JSON.parse(raw));
        return beat?.processed === jobs && beat.activeJobs.length === 0 ? beat : undefined;
      });
      const elapsed = Date.now() - started;
      expect(last.state).toBe('idle');
      // At most one write per gap for job events, one per interval, and a few state changes —
      // not two per job.
      const bound =
        Math.ceil(elapsed / JOB_EVENT_GAP_MS) + Math.ceil(elapsed / HEARTBEAT_INTERVAL_MS) + 5;
      expect(writes).toBeGreaterThan(0);
      expect(writes).toBeLessThanOrEqual(bound);
      expect(writes).toBeLessThan(jobs / 4);
      await echo.close();
      worker.child.kill('SIGKILL');
    } finally {
      monitor.disconnect();
      await own.stop();
    }
  });
});

describe('starting before Redis', () => {
  it('waits quietly while Redis is not there, then registers as soon as it answers', async () => {
    // A port nobody listens on yet: the worker's first connections are refused.
    const port = (await findFreePort(20_000 + Math.floor(Math.random() * 20_000)))!;
    const cluster = uniqueName('early');
    const worker = spawnBundle(
      workerEnv({ ...redis, port }, { cluster, env: { [WORKER_ENV.redisPort]: String(port) } }),
    );
    await worker.waitForOutput(/waiting for Redis at 127\.0\.0\.1:\d+/);

    const name = uniqueName('late-redis');
    runRedisContainer(name, redis.password, port);
    const late = new Redis({
      host: '127.0.0.1',
      port,
      password: redis.password,
      maxRetriesPerRequest: null,
    });
    late.on('error', () => undefined);
    try {
      const beat = await waitFor('the heartbeat in the late Redis', async () => {
        const raw = await late.get(heartbeatKey(cluster, worker.name)).catch(() => null);
        const parsed = raw === null ? undefined : heartbeatSchema.parse(JSON.parse(raw));
        return parsed?.state === 'idle' ? parsed : undefined;
      });
      // Not being able to reach Redis before it existed is not this worker's error.
      expect(beat.lastError).toBeNull();
      // It listens for cancel requests too (it subscribes once Redis answers, not only at start).
      await waitFor(
        'the cancel subscription in the late Redis',
        async () => {
          const [, count] = (await late.pubsub('NUMSUB', cancelChannel(cluster))) as [
            string,
            number,
          ];
          return count === 1 || undefined;
        },
        10_000,
      );
      expect(worker.output()).not.toMatch(/Z (error|warn) /);
      expect(worker.output().match(/waiting for Redis/g)).toHaveLength(1);
    } finally {
      late.disconnect();
      worker.child.kill('SIGKILL');
      docker(['rm', '-f', name]);
    }
  });
});

describe('starting before its password file is written', () => {
  it('waits for the file in its folder, then registers without an error', async () => {
    const folder = fs.mkdtempSync(path.join(scratch, 'run-'));
    const passwordFile = path.join(folder, 'redis-password');
    const cluster = uniqueName('early-file');
    const worker = spawnBundle(
      workerEnv(redis, { cluster, env: { [WORKER_ENV.redisPasswordFile]: passwordFile } }),
    );
    try {
      await worker.waitForOutput(/waiting for the Redis password file/);
      fs.writeFileSync(passwordFile, redis.password);
      const beat = await waitFor('the heartbeat', async () => {
        const parsed = await readHeartbeat(cluster, worker.name);
        return parsed?.state === 'idle' ? parsed : undefined;
      });
      expect(beat.lastError).toBeNull();
      expect(worker.output()).not.toMatch(/Z (error|warn) /);
    } finally {
      worker.child.kill('SIGKILL');
    }
  });
});

describe('stopping', () => {
  it('on SIGTERM finishes the running job, removes its heartbeat and exits 0', async () => {
    const cluster = uniqueName('term');
    const worker = await startWorker(redis, { cluster, queues: 'sleep' });
    const job = await sleep.add({ ms: 2_000 });
    await waitFor('the job to start', async () =>
      (await job.getState()) === 'active' ? true : undefined,
    );

    worker.child.kill('SIGTERM');
    const stopping = await waitFor('a stopping heartbeat', async () => {
      const beat = await readHeartbeat(cluster, worker.name);
      return beat?.state === 'stopping' ? beat : undefined;
    });
    expect(stopping.activeJobs).toEqual([{ queue: 'sleep', id: job.id }]);

    expect(await sleep.finished(job)).toEqual({ sleptMs: 2_000 });
    expect(await worker.exited).toEqual({ code: 0, signal: null });
    expect(await reader.exists(heartbeatKey(cluster, worker.name))).toBe(0);
  });

  it('after the shutdown grace, exits 0 without waiting and the job is not lost', async () => {
    const first = await startWorker(redis, { queues: 'sleep', shutdownGraceMs: 300 });
    const job = await sleep.add({ ms: 4_000 });
    await waitFor('the job to start', async () =>
      (await job.getState()) === 'active' ? true : undefined,
    );

    const signalled = Date.now();
    first.child.kill('SIGTERM');
    expect(await first.exited).toEqual({ code: 0, signal: null });
    expect(Date.now() - signalled).toBeLessThan(3_000);
    expect(first.output()).toContain('stopping without waiting for 1 active job');

    // The abandoned job returns through BullMQ's stalled check and another worker completes it.
    const second = await startWorker(redis, { queues: 'sleep' });
    expect(await sleep.finished(job, 60_000)).toEqual({ sleptMs: 4_000 });
    const done = await sleep.queue.getJob(job.id ?? '');
    expect(done?.processedBy).toBe(second.name);
    second.child.kill('SIGTERM');
    expect((await second.exited).code).toBe(0);
  });
});

/** A server on 127.0.0.1 that accepts connections and never answers: a hung Redis. */
async function silentServer() {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => sockets.add(socket));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    connections: () => sockets.size,
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

describe('stopping while Redis is gone', () => {
  it('an idle worker exits 0 within seconds, not after its shutdown grace', async () => {
    const name = uniqueName('gone-redis');
    const port = (await findFreePort(20_000 + Math.floor(Math.random() * 20_000)))!;
    runRedisContainer(name, redis.password, port);
    const own = { ...redis, port };
    try {
      const worker = await startWorker(own, { shutdownGraceMs: 60_000 });
      docker(['rm', '-f', name]);
      await worker.waitForOutput(/error .*(ECONNREFUSED|ECONNRESET|Connection is closed)/);

      const signalled = Date.now();
      worker.child.kill('SIGTERM');
      expect(await worker.exited).toEqual({ code: 0, signal: null });
      expect(Date.now() - signalled).toBeLessThan(5_000);
      expect(worker.output()).not.toContain('could not remove the heartbeat');
    } finally {
      docker(['rm', '-f', '--volumes', name], 30_000);
    }
  });

  it('an idle worker whose Redis accepts but never answers (hung) exits 0 within seconds', async () => {
    const silent = await silentServer();
    try {
      const { port } = silent;
      const worker = await startWorker(
        { ...redis, port },
        {
          shutdownGraceMs: 60_000,
          waitUntilReady: false,
          env: { [WORKER_ENV.redisPort]: String(port) },
        },
      );
      await worker.waitForOutput(/consuming/);
      await waitFor('the worker to connect', async () =>
        silent.connections() > 0 ? true : undefined,
      );

      const signalled = Date.now();
      worker.child.kill('SIGTERM');
      expect(await worker.exited).toEqual({ code: 0, signal: null });
      expect(Date.now() - signalled).toBeLessThan(5_000);
      expect(worker.output()).toContain('Redis did not answer');
    } finally {
      await silent.close();
    }
  });
});

describe('bad configuration', () => {
  async function runWith(env: Record<string, string | undefined>) {
    const worker = spawnBundle(workerEnv(redis, { env }));
    const exit = await worker.exited;
    return { ...exit, output: worker.output() };
  }

  it.each([
    [{ [WORKER_ENV.cluster]: undefined }, `${WORKER_ENV.cluster}: is not set`],
    [
      { [WORKER_ENV.concurrency]: 'lots' },
      `${WORKER_ENV.concurrency}: expected a whole number from 1 to 1000`,
    ],
    [
      { [WORKER_ENV.redisPasswordFile]: '/nonexistent/ghwtest-password' },
      'cannot read the Redis password file /nonexistent/ghwtest-password',
    ],
    [{ [WORKER_ENV.queues]: 'sleep,ghwtest-nope' }, 'no processor for queue ghwtest-nope'],
    [
      { [WORKER_ENV.processorsDir]: '/nonexistent/ghwtest-processors' },
      'the processors folder /nonexistent/ghwtest-processors',
    ],
  ])('exits 78 with one clear line (%o)', async (env, message) => {
    const result = await runWith(env);
    expect(result.code).toBe(78);
    const lines = result.output.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(message);
  });

  it('exits 78 when Redis rejects the password, without printing either password', async () => {
    const wrongFile = path.join(scratch, 'wrong-password');
    const wrong = 'ghwtest-wrong-password-value';
    fs.writeFileSync(wrongFile, wrong);
    const result = await runWith({ [WORKER_ENV.redisPasswordFile]: wrongFile });
    expect(result.code).toBe(78);
    expect(result.output).toContain(`rejected the password from ${wrongFile}`);
    expect(result.output).not.toContain(wrong);
    expect(result.output).not.toContain(redis.password);
  });
});

describe('--healthcheck', () => {
  async function healthcheck(env: Record<string, string | undefined> = {}) {
    const started = Date.now();
    const run = spawnBundle(workerEnv(redis, { env }), ['--healthcheck']);
    const exit = await run.exited;
    return { code: exit.code, output: run.output(), ms: Date.now() - started };
  }

  it('exits 0 when Redis answers PING with the password', async () => {
    const result = await healthcheck();
    expect(result.code).toBe(0);
    expect(result.output).not.toContain(redis.password);
  });

  it('exits 1 with a wrong password', async () => {
    const wrongFile = path.join(scratch, 'wrong-password-hc');
    fs.writeFileSync(wrongFile, 'ghwtest-not-it');
    const result = await healthcheck({ [WORKER_ENV.redisPasswordFile]: wrongFile });
    expect(result.code).toBe(1);
    expect(result.output).toMatch(/^unhealthy: /);
    expect(result.output).not.toContain('ghwtest-not-it');
  });

  it('exits 1 after about 2 s when the server accepts but never answers', async () => {
    const silent = await silentServer();
    try {
      const { port } = silent;
      const result = await healthcheck({
        [WORKER_ENV.redisHost]: '127.0.0.1',
        [WORKER_ENV.redisPort]: String(port),
      });
      expect(result.code).toBe(1);
      expect(result.ms).toBeGreaterThanOrEqual(2_000);
      expect(result.ms).toBeLessThan(4_000);
      expect(result.output).toMatch(/^unhealthy: /);
    } finally {
      await silent.close();
    }
  });
});
