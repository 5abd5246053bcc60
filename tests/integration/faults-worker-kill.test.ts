/**
 * Fault injection: kill -9 a worker mid-job, 20 times, while a steady stream of sleep and echo
 * jobs runs through a real cluster. What a user relies on: every job they added completes,
 * none completes twice, none is left stuck in "active", and the killed worker comes back.
 *
 * The kill is a crash, not a stop: SIGKILL from the host to the worker's node process (the child
 * of the container's docker-init), so the container's restart policy (unless-stopped) restarts
 * it. A job may be killed mid-run at most MAX_STALLED_COUNT times before BullMQ fails it by
 * design ("job stalled more than allowable limit"); the victim is chosen so that no job is
 * exposed to more kills than that contract allows.
 */
import { randomUUID } from 'node:crypto';
import { Queue, QueueEvents } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_STALLED_COUNT, type Heartbeat } from '../../main/cluster/worker-contract';
import { readHeartbeats } from '../../main/queues/worker-views';
import { killMainProcess, median, recordFaultResult, seconds, today } from './helpers/faults-kit';
import { waitFor } from './helpers/queues-fixture';
import { createTestCluster, type TestCluster } from './helpers/test-cluster';

const ROUNDS = 20;
const WORKERS = 3;
const QUEUES = ['sleep', 'echo'] as const;
type QueueName = (typeof QUEUES)[number];

let tc: TestCluster;
let redis: Redis;
const queues = new Map<QueueName, Queue>();
const events = new Map<QueueName, QueueEvents>();

/** Per "queue:id": how often QueueEvents reported it completed / failed / stalled. */
const completions = new Map<string, number>();
const failures = new Map<string, string>();
const stalled = new Map<string, number>();
const echoTokens = new Map<string, string>();
const echoResults = new Map<string, unknown>();

beforeAll(async () => {
  tc = await createTestCluster({ workers: WORKERS, concurrency: 5 });
  await tc.core.cluster.up();
  const url = new URL(await tc.core.cluster.connectionUrl());
  const connection = {
    host: url.hostname,
    port: Number(url.port),
    password: decodeURIComponent(url.password),
  };
  redis = new Redis({ ...connection, maxRetriesPerRequest: 2 });
  redis.on('error', () => {});
  for (const name of QUEUES) {
    const queue = new Queue(name, { connection });
    const queueEvents = new QueueEvents(name, { connection });
    queue.on('error', () => {});
    queueEvents.on('error', () => {});
    queueEvents.on('completed', ({ jobId, returnvalue }) => {
      const key = `${name}:${jobId}`;
      completions.set(key, (completions.get(key) ?? 0) + 1);
      if (name === 'echo') echoResults.set(key, returnvalue);
    });
    queueEvents.on('failed', ({ jobId, failedReason }) =>
      failures.set(`${name}:${jobId}`, failedReason),
    );
    queueEvents.on('stalled', ({ jobId }) => {
      const key = `${name}:${jobId}`;
      stalled.set(key, (stalled.get(key) ?? 0) + 1);
    });
    await Promise.all([queue.waitUntilReady(), queueEvents.waitUntilReady()]);
    queues.set(name, queue);
    events.set(name, queueEvents);
  }
});

afterAll(async () => {
  await Promise.allSettled([...events.values(), ...queues.values()].map((q) => q.close()));
  redis?.disconnect();
  await tc?.cleanup();
});

/** Adds one job every `everyMs` until stopped, alternating short sleeps and echoes. */
function startProducer(everyMs: number) {
  const added: string[] = [];
  const errors: string[] = [];
  let running = true;
  let n = 0;
  const loop = (async () => {
    while (running) {
      const tick = Date.now();
      const kind: QueueName = n++ % 2 === 0 ? 'sleep' : 'echo';
      try {
        if (kind === 'sleep') {
          const job = await queues
            .get('sleep')!
            .add('nap', { ms: 100 + Math.floor(Math.random() * 500) });
          added.push(`sleep:${job.id}`);
        } else {
          const token = randomUUID();
          const job = await queues.get('echo')!.add('say', { token });
          added.push(`echo:${job.id}`);
          echoTokens.set(`echo:${job.id}`, token);
        }
      } catch (err) {
        errors.push((err as Error).message);
      }
      await new Promise((resolve) =>
        setTimeout(resolve, Math.max(0, everyMs - (Date.now() - tick))),
      );
    }
  })();
  return {
    added,
    errors,
    async stop() {
      running = false;
      await loop;
    },
  };
}

function keysOf(beat: Heartbeat): string[] {
  return beat.activeJobs.map((job) => `${job.queue}:${job.id}`);
}

describe('kill -9 of a worker mid-job, under load', () => {
  it(`${ROUNDS} rounds: every job completes exactly once, none stuck, the worker comes back`, async () => {
    const producer = startProducer(25);
    /** How many kills each job was active for (as the victim's last heartbeat listed it). */
    const exposure = new Map<string, number>();
    const replacementMs: number[] = [];
    const activeAtKill: number[] = [];
    try {
      await waitFor(() => producer.added.length > 40, 20_000, 'the producer to get going');
      for (let round = 1; round <= ROUNDS; round++) {
        // A busy worker whose jobs may still be killed within the stalled contract; the one
        // running longest, so the engine's restart back-off (for quick re-crashes) stays short.
        let victim: Heartbeat | undefined;
        await waitFor(
          async () => {
            const now = Date.now();
            const candidates = [...(await readHeartbeats(redis, tc.name)).values()]
              .filter((beat) => beat.activeJobs.length > 0 && now - beat.at < 2_000)
              .filter((beat) =>
                keysOf(beat).every((k) => (exposure.get(k) ?? 0) < MAX_STALLED_COUNT),
              )
              .sort((a, b) => a.startedAt - b.startedAt);
            victim = candidates[0];
            return victim !== undefined;
          },
          30_000,
          `a busy worker to kill (round ${round})`,
          50,
        );
        const beat = victim!;
        for (const key of keysOf(beat)) exposure.set(key, (exposure.get(key) ?? 0) + 1);
        activeAtKill.push(beat.activeJobs.length);
        const killed = await killMainProcess(beat.name);

        await waitFor(
          async () => {
            const next = (await readHeartbeats(redis, tc.name)).get(beat.name);
            return next !== undefined && next.startedAt > killed.at;
          },
          30_000,
          `a replacement for ${beat.name} to register (round ${round})`,
          50,
        );
        replacementMs.push(Date.now() - killed.at);
      }
    } finally {
      await producer.stop();
    }

    // Bounded wait: locks expire after LOCK_DURATION_MS, the stalled check returns the jobs.
    const ids = producer.added;
    const finishedAt = Date.now();
    await waitFor(
      () => ids.every((id) => completions.has(id) || failures.has(id)),
      30_000,
      `all ${ids.length} jobs to finish`,
      200,
    ).catch(() => {});
    const drainMs = Date.now() - finishedAt;

    const unfinished = ids.filter((id) => !completions.has(id) && !failures.has(id));
    const twice = ids.filter((id) => (completions.get(id) ?? 0) > 1);
    const failed = ids.filter((id) => failures.has(id));
    const wrongResult = ids.filter(
      (id) =>
        id.startsWith('echo:') &&
        completions.has(id) &&
        (echoResults.get(id) as { token?: string } | undefined)?.token !== echoTokens.get(id),
    );
    const counts = Object.fromEntries(
      await Promise.all(
        QUEUES.map(async (name) => [
          name,
          await queues
            .get(name)!
            .getJobCounts('active', 'waiting', 'delayed', 'completed', 'failed'),
        ]),
      ),
    ) as Record<QueueName, Record<string, number>>;
    const stuckActive = QUEUES.reduce((n, q) => n + (counts[q].active ?? 0), 0);
    const stuckWaiting = QUEUES.reduce(
      (n, q) => n + (counts[q].waiting ?? 0) + (counts[q].delayed ?? 0),
      0,
    );
    const exposedJobs = [...exposure.values()].filter((n) => n > 0).length;
    const stalledJobs = stalled.size;
    const stalledEvents = [...stalled.values()].reduce((a, b) => a + b, 0);
    const status = await tc.core.cluster.status();

    await recordFaultResult(
      'worker-kill',
      `### kill -9 a worker mid-job, under load (${today()})

${ROUNDS} rounds against ${WORKERS} workers × concurrency 5 while a producer added one job every 25 ms (sleep 100–600 ms and echo with a unique token, alternating). Kill = SIGKILL from the host to the worker's node process (the child of docker-init); the unless-stopped policy restarts the container.

| measure | value |
| --- | --- |
| jobs added (acknowledged) | ${ids.length} (${ids.filter((i) => i.startsWith('sleep:')).length} sleep, ${ids.filter((i) => i.startsWith('echo:')).length} echo); producer errors ${producer.errors.length} |
| jobs active on the victim at the kill (sum over rounds, from its last heartbeat) | ${activeAtKill.reduce((a, b) => a + b, 0)} (${exposedJobs} distinct jobs) |
| stalled events (jobs returned by the stalled check) | ${stalledEvents} for ${stalledJobs} jobs |
| completed exactly once | ${ids.length - unfinished.length - failed.length - twice.length} |
| completed twice or more | ${twice.length} |
| failed | ${failed.length} |
| echo results not carrying their own token | ${wrongResult.length} |
| unfinished after the bounded wait (30 s) | ${unfinished.length}; time to drain after the last round ${seconds(drainMs)} |
| stuck at the end (active / waiting+delayed) | ${stuckActive} / ${stuckWaiting} |
| replacement registered (new heartbeat) after the kill | median ${seconds(median(replacementMs))}, min ${seconds(Math.min(...replacementMs))}, max ${seconds(Math.max(...replacementMs))} |
| cluster state afterwards | ${status.state}, ${status.workers.filter((w) => w.state === 'running').length}/${WORKERS} workers running, restarts ${status.workers.map((w) => w.restartCount).join('/')} |
`,
    );

    expect(producer.errors).toEqual([]);
    expect(ids.length).toBeGreaterThan(ROUNDS * 10);
    expect(activeAtKill.every((n) => n > 0)).toBe(true);
    expect(stalledEvents).toBeGreaterThan(0);
    expect(unfinished).toEqual([]);
    expect(failed.map((id) => `${id}: ${failures.get(id)}`)).toEqual([]);
    expect(twice).toEqual([]);
    expect(wrongResult).toEqual([]);
    expect(stuckActive).toBe(0);
    expect(stuckWaiting).toBe(0);
    expect(replacementMs).toHaveLength(ROUNDS);
    expect(status.state).toBe('running');
    expect(status.workers.every((w) => w.state === 'running')).toBe(true);
    expect(status.workers.reduce((n, w) => n + w.restartCount, 0)).toBe(ROUNDS);
  });
});
