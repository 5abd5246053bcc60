// Benchmark (issue 15): how soon autoscale answers a backlog. A cluster whose default pool
// (built-in, concurrency 1) autoscales 1..4 at 10 jobs per worker, with `guildhall supervise`
// (the built CLI) holding the lease. Each round pushes 40 `sleep` jobs in one addBulk and times
// from the moment Redis has them to the first extra worker's heartbeat (a worker started after
// the push, as the worker list shows it); then the waiting jobs are drained and the round waits
// until the supervisor has scaled the pool back to 1 (cooldown 3 s) before the next.
// Run: npm run build && node tests/bench/autoscale-react.mjs [--rounds N]
import fs from 'node:fs/promises';
import path from 'node:path';
import { Queue } from 'bullmq';
import Redis from 'ioredis';
import {
  arg,
  benchHome,
  cliOutput,
  containersNamed,
  freePort,
  liveHeartbeats,
  loadAverage,
  redisConnection,
  row,
  sec,
  startSupervisor,
  waitRegistered,
} from './bench-kit.mjs';
import { machine, sleep, stats, writeReportSection } from './lib.mjs';

const rounds = arg('--rounds', 5);
const QUEUE = 'sleep';
const JOBS = 40;
const JOB_MS = 3_000;
const AUTOSCALE = { min: 1, max: 4, backlogPerWorker: 10, cooldownSeconds: 3 };
const CLUSTER = { name: 'ghbautoscale', port: await freePort(), workers: 1, concurrency: 1 };
const { home, env, remove } = await benchHome('guildhall-bench-autoscale', {
  ...CLUSTER,
  memoryMb: 192,
  stopTimeoutSeconds: 5,
});

// The autoscale block on the default pool; the supervisor's CPU bound off (a shared host reads
// 100 % much of the time) and a small memory margin, so only the backlog decides.
const settingsFile = path.join(home, 'settings.json');
const settings = JSON.parse(await fs.readFile(settingsFile, 'utf8'));
settings.cluster.workers.autoscale = AUTOSCALE;
settings.cluster.supervisor = { cpuSaturatedPercent: 100, memoryMarginMb: 256 };
await fs.writeFile(settingsFile, JSON.stringify(settings));

const workerPrefix = `${CLUSTER.name}-worker-`;

/** Polls until the pool has exactly `count` containers and as many live heartbeats. */
async function waitPoolSize(redis, count, timeoutMs = 120_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const names = await containersNamed(workerPrefix);
    const beats = await liveHeartbeats(redis, CLUSTER.name).catch(() => []);
    if (names.length === count && beats.length === count) return;
    await sleep(250);
  }
  throw new Error(`the pool did not come back to ${count} worker(s) within ${timeoutMs} ms`);
}

const reactMs = [];
const scaledTo = [];
const loads = [];
let supervisor = null;
let queue = null;
let redis = null;
try {
  process.stderr.write('autoscale-react: preparing (guildhall up, 1 worker)\n');
  await cliOutput(['up'], env);
  const connection = await redisConnection(env);
  redis = new Redis({ ...connection, maxRetriesPerRequest: null });
  queue = new Queue(QUEUE, { connection: { ...connection, maxRetriesPerRequest: null } });
  queue.on('error', () => {});
  supervisor = await startSupervisor(env);
  await waitPoolSize(redis, 1);
  for (let round = 0; round < rounds; round++) {
    loads.push(loadAverage());
    const since = Date.now();
    await queue.addBulk(
      Array.from({ length: JOBS }, (_, i) => ({
        name: `backlog-${round}-${i}`,
        data: { ms: JOB_MS },
        opts: { removeOnComplete: true, removeOnFail: true },
      })),
    );
    const inRedis = performance.now();
    const registered = await waitRegistered(redis, CLUSTER.name, 1, since);
    reactMs.push(registered - inRedis);
    // Give the pool a moment to reach its target, for the record (not timed).
    await sleep(3_000);
    scaledTo.push((await containersNamed(workerPrefix)).length);
    process.stderr.write(
      `autoscale-react round ${round + 1}/${rounds}: first extra worker after ${sec(reactMs.at(-1))}, pool at ${scaledTo.at(-1)}\n`,
    );
    await queue.drain(true);
    await waitPoolSize(redis, 1);
  }
  if (/backoff|recreate/.test(supervisor.output()))
    process.stderr.write(`note: the supervisor also healed:\n${supervisor.output()}\n`);

  const s = stats(reactMs);
  const m = await machine();
  const markdown = `## Autoscale: backlog → first extra worker

A cluster whose default pool (built-in, concurrency 1, 192 MB) autoscales ${AUTOSCALE.min}..${AUTOSCALE.max} at ${AUTOSCALE.backlogPerWorker} jobs per worker (cooldown ${AUTOSCALE.cooldownSeconds} s), supervised by \`guildhall supervise\` (the built CLI; a tick every 2 s). Each round pushes ${JOBS} \`sleep\` jobs (${JOB_MS / 1000} s each) in one \`addBulk\` and times from its reply (the backlog is in Redis) to the first heartbeat of a worker started after the push: one supervisor tick to see the backlog, the scale through the engine, the new container's start and its worker's registration. Then the waiting jobs are drained and the round waits until the supervisor has scaled the pool back to 1. ${rounds} rounds; the pool reached ${scaledTo.join(', ')} containers 3 s after the first extra worker.
Machine: ${m.cores} cores, ${m.memoryGiB} GiB, ${m.cpu}; Docker ${m.docker}; Node ${m.node}; ${m.date}. 1-min load average at each round's start: ${loads.join(', ')} (the host is shared).

| measure | median | min | max |
| --- | --- | --- | --- |
${row('backlog in Redis → first extra worker registered', s, sec)}

Backlog → first extra worker: **${sec(s.median)}** (median; issue 15 sets no goal).
Rerun: \`npm run build && node tests/bench/autoscale-react.mjs --rounds ${rounds}\`.
`;
  await writeReportSection('autoscale-react', markdown);
  process.stdout.write(markdown);
} finally {
  await queue?.close().catch(() => {});
  redis?.disconnect();
  await supervisor?.stop();
  await cliOutput(['down', '--volumes'], env).catch(() => {});
  await remove();
}
