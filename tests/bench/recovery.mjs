// Benchmark: recovery after kill -9 of a busy worker. A worker container holding sleep jobs has
// its node process SIGKILLed from the host (a crash, not `docker kill`, so the unless-stopped
// restart policy acts). Measured from the kill: a replacement registered (new heartbeat,
// startedAt after the kill), the killed jobs returned by the stalled check, and completed.
// Side by side, the same crash of a hand-written BullMQ worker on the host with BullMQ's default
// lock and stalled settings (no supervisor restarts it; a second such worker takes the jobs).
// Run: npm run build && node tests/bench/recovery.mjs [--rounds N] [--sleep-ms N] [--no-bare]
import { spawn } from 'node:child_process';
import fs from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { Queue, QueueEvents, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import {
  arg,
  benchHome,
  cliOutput,
  liveHeartbeats,
  loadAverage,
  redisConnection,
  row,
} from './bench-kit.mjs';
import { fmt, machine, run, sleep, stats, writeReportSection } from './lib.mjs';

const SLEEP_MS = arg('--sleep-ms', 4_000);
const JOBS = 12;

if (process.argv.includes('--bare-worker')) {
  // A hand-written worker: BullMQ defaults (lockDuration 30 s, stalledInterval 30 s).
  const url = new URL(process.env.REDIS_URL);
  const connection = {
    host: url.hostname,
    port: Number(url.port),
    password: decodeURIComponent(url.password),
    maxRetriesPerRequest: null,
  };
  const worker = new Worker(
    'bench-recovery-bare',
    async (job) => {
      await sleep(job.data.ms);
      return { sleptMs: job.data.ms, by: process.pid };
    },
    { connection, concurrency: 10 },
  );
  worker.on('error', () => {});
  await worker.waitUntilReady();
  process.stdout.write('ready\n');
  await new Promise(() => {});
}

const rounds = arg('--rounds', 3);
const bare = !process.argv.includes('--no-bare');
const CLUSTER = { name: 'ghbrecov', port: 26392, workers: 2 };
const { env, remove } = await benchHome('guildhall-bench-recovery', { ...CLUSTER, memoryMb: 256 });
const closers = [];

async function childrenOf(pid) {
  const text = await fs.readFile(`/proc/${pid}/task/${pid}/children`, 'utf8').catch(() => '');
  return text.trim().split(/\s+/).filter(Boolean).map(Number);
}

/** Records, per job id, when QueueEvents saw it stalled / completed. */
function follow(events) {
  const seen = { stalled: new Map(), completed: new Map(), active: new Map() };
  events.on('stalled', ({ jobId }) => seen.stalled.set(jobId, performance.now()));
  events.on('completed', ({ jobId }) => seen.completed.set(jobId, performance.now()));
  return seen;
}

async function until(check, timeoutMs, what) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return performance.now();
    await sleep(25);
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
}

try {
  process.stderr.write('recovery: preparing (guildhall up, 2 workers)\n');
  await cliOutput(['up'], env);
  const connection = await redisConnection(env);
  const redis = new Redis({ ...connection, maxRetriesPerRequest: 2 });
  redis.on('error', () => {});
  closers.push(() => redis.disconnect());
  const queue = new Queue('sleep', { connection });
  const events = new QueueEvents('sleep', { connection });
  for (const q of [queue, events]) q.on('error', () => {});
  closers.push(
    () => events.close(),
    () => queue.close(),
  );
  await events.waitUntilReady();
  const seen = follow(events);

  const t = { replacement: [], stalled: [], done: [], killedJobs: [] };
  const loads = [];
  for (let round = 0; round < rounds; round++) {
    loads.push(loadAverage());
    const victim = `${CLUSTER.name}-worker-${(round % CLUSTER.workers) + 1}`;
    const jobs = await queue.addBulk(
      Array.from({ length: JOBS }, () => ({ name: 'nap', data: { ms: SLEEP_MS } })),
    );
    const added = Date.now();
    // The victim's heartbeat (refreshed every second) lists the jobs it holds.
    let held = [];
    await until(
      async () => {
        const beat = (await liveHeartbeats(redis, CLUSTER.name)).find((b) => b.name === victim);
        held =
          beat && beat.at > added + 300
            ? beat.activeJobs.filter((j) => j.queue === 'sleep').map((j) => j.id)
            : [];
        return held.length > 0;
      },
      30_000,
      `${victim} to hold jobs`,
    );
    const { stdout } = await run('docker', ['inspect', '-f', '{{.State.Pid}}', victim]);
    const [main] = await childrenOf(Number(stdout.trim()));
    const killedWall = Date.now();
    const killed = performance.now();
    process.kill(main ?? Number(stdout.trim()), 'SIGKILL');

    const replaced = await until(
      async () => {
        const beat = (await liveHeartbeats(redis, CLUSTER.name)).find((b) => b.name === victim);
        return beat !== undefined && beat.startedAt > killedWall;
      },
      60_000,
      `a replacement for ${victim}`,
    );
    await until(
      () => held.every((id) => seen.completed.has(id)),
      120_000,
      'the killed jobs to complete',
    );
    await until(() => jobs.every((j) => seen.completed.has(j.id)), 60_000, 'every job to complete');
    t.replacement.push(replaced - killed);
    t.stalled.push(Math.max(...held.map((id) => seen.stalled.get(id) ?? Number.NaN)) - killed);
    t.done.push(Math.max(...held.map((id) => seen.completed.get(id))) - killed);
    t.killedJobs.push(held.length);
    process.stderr.write(
      `recovery round ${round + 1}/${rounds}: ${held.length} jobs killed on ${victim}; replacement ${fmt(t.replacement.at(-1))}, stalled jobs back ${fmt(t.stalled.at(-1))}, completed ${fmt(t.done.at(-1))}\n`,
    );
    await sleep(2_000);
  }

  // The same crash without Guildhall: two host processes running a plain BullMQ Worker.
  const tb = { done: [], stalled: [], killedJobs: [] };
  if (bare) {
    const url = (await cliOutput(['connect'], env)).trim();
    const bareQueue = new Queue('bench-recovery-bare', { connection });
    const bareEvents = new QueueEvents('bench-recovery-bare', { connection });
    for (const q of [bareQueue, bareEvents]) q.on('error', () => {});
    closers.push(
      () => bareEvents.close(),
      () => bareQueue.close(),
    );
    await bareEvents.waitUntilReady();
    const bareSeen = follow(bareEvents);
    const startBare = async () => {
      const child = spawn(process.execPath, [fileURLToPath(import.meta.url), '--bare-worker'], {
        env: { ...process.env, REDIS_URL: url },
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      await new Promise((resolve, reject) => {
        child.stdout.on('data', (d) => String(d).includes('ready') && resolve());
        child.once('exit', (code) => reject(new Error(`bare worker exited ${code}`)));
      });
      closers.push(() => child.kill('SIGKILL'));
      return child;
    };
    for (let round = 0; round < rounds; round++) {
      const victim = await startBare();
      const jobs = await bareQueue.addBulk(
        Array.from({ length: JOBS }, () => ({ name: 'nap', data: { ms: SLEEP_MS } })),
      );
      await until(
        async () => (await bareQueue.getActiveCount()) === Math.min(JOBS, 10),
        30_000,
        'the bare worker to hold jobs',
      );
      const held = (await bareQueue.getActive()).map((j) => j.id);
      // The survivor starts only now, so the active jobs are all on the victim.
      const survivor = await startBare();
      const killed = performance.now();
      victim.kill('SIGKILL');
      await until(
        () => jobs.every((j) => bareSeen.completed.has(j.id)),
        180_000,
        'the bare jobs to complete',
      );
      tb.done.push(Math.max(...held.map((id) => bareSeen.completed.get(id))) - killed);
      tb.stalled.push(
        Math.max(...held.map((id) => bareSeen.stalled.get(id) ?? Number.NaN)) - killed,
      );
      tb.killedJobs.push(held.length);
      survivor.kill('SIGKILL');
      process.stderr.write(
        `recovery bare round ${round + 1}/${rounds}: stalled jobs back ${fmt(tb.stalled.at(-1))}, completed ${fmt(tb.done.at(-1))}\n`,
      );
      await sleep(500);
    }
  }

  const s = Object.fromEntries(Object.entries(t).map(([k, v]) => [k, stats(v)]));
  const sb = Object.fromEntries(
    Object.entries(tb).map(([k, v]) => [k, v.length ? stats(v) : null]),
  );
  const m = await machine();
  const markdown = `## Recovery: kill -9 of a busy worker

${CLUSTER.workers} workers × concurrency 10; ${JOBS} sleep jobs of ${SLEEP_MS / 1000} s added, then the node process of a worker holding some of them (per its heartbeat) SIGKILLed from the host; the container's unless-stopped policy restarts it. ${rounds} rounds, alternating the victim. Stalled settings (worker-contract): lock ${10} s, stalled check every ${5} s, max stalled count 2 — so the killed jobs can come back at most ~15 s after the kill and finish ${SLEEP_MS / 1000} s later.
Side by side${bare ? '' : ' (skipped this run)'}: a hand-written BullMQ Worker (host process, BullMQ defaults: lock 30 s, stalled check every 30 s) holding all ${JOBS} jobs is SIGKILLed; a second one started just before the kill takes the jobs back. No supervisor restarts the killed one.
Machine: ${m.cores} cores, ${m.memoryGiB} GiB, ${m.cpu}; Docker ${m.docker}; Node ${m.node}; ${m.date}. 1-min load average at each round's start: ${loads.join(', ')} (the host is shared).

| from the kill until … | median | min | max |
| --- | --- | --- | --- |
${row('Guildhall: a replacement worker registered (new heartbeat)', s.replacement, fmt)}
${row('Guildhall: every killed job back from the stalled check', s.stalled, fmt)}
${row('Guildhall: every killed job completed', s.done, fmt)}
${sb.stalled ? row('bare BullMQ (defaults): every killed job back from the stalled check', sb.stalled, fmt) : '| bare BullMQ | skipped | | |'}
${sb.done ? row('bare BullMQ (defaults): every killed job completed', sb.done, fmt) : ''}

Jobs held by the victim at the kill: ${t.killedJobs.join(', ')} (Guildhall), ${tb.killedJobs.join(', ') || '–'} (bare). No goal is set for recovery; expected from the settings: killed jobs complete within about ${15 + SLEEP_MS / 1000} s (lock 10 s + stalled check 5 s + the ${SLEEP_MS / 1000} s job) with Guildhall, ${60 + SLEEP_MS / 1000} s with BullMQ's defaults${sb.done ? `; measured ratio Guildhall / bare BullMQ (completed): ${(s.done.median / sb.done.median).toFixed(2)}×` : ''}.
Rerun: \`npm run build && node tests/bench/recovery.mjs --rounds ${rounds}\`.
`;
  await writeReportSection('recovery', markdown);
  process.stdout.write(markdown);
} finally {
  for (const close of closers.reverse()) await Promise.resolve(close()).catch(() => {});
  await cliOutput(['down', '--volumes'], env).catch(() => {});
  await remove();
}
process.exit(0);
