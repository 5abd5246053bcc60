// Benchmark: search by job data through 100,000 jobs (time to the first match and to the end of
// the state, page after page as the console does), and how punctually a schedule of every
// 1,000 ms fires (its jobs' start against their scheduled times), through the console's real
// WebSocket API on a real cluster. Figures only; no goals are set for them yet.
// Run: npm run build && node tests/bench/queue-features.mjs [--jobs 100000] [--rounds 5] [--ticks 20]
import { spawn } from 'node:child_process';
import fs from 'node:fs/promises';
import { createORPCClient } from '@orpc/client';
import { RPCLink } from '@orpc/client/websocket';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { WebSocket } from 'ws';
import { arg, benchHome, cliOutput } from './bench-kit.mjs';
import { cli, machine, sleep, spawnCli, stats, writeReportSection } from './lib.mjs';

const JOBS = arg('--jobs', 100_000);
const ROUNDS = arg('--rounds', 5);
const TICKS = arg('--ticks', 20);
const QUEUE = 'bench-search';
const cluster = { name: 'ghbenchfeatures', port: 26470, workers: 1 };
const { home, env } = await benchHome('guildhall-bench-features', cluster);

await spawnCli(['up'], env);
const url = (await cliOutput(['connect'], env)).trim();
const connection = new Redis(url, { maxRetriesPerRequest: null });
const queue = new Queue(QUEUE, { connection });
const NEEDLE = Math.floor(JOBS / 2);
for (let i = 0; i < JOBS; i += 1000) {
  await queue.addBulk(
    Array.from({ length: Math.min(1000, JOBS - i) }, (_, k) => {
      const n = i + k;
      return { name: 'order', data: { user: { id: n === NEEDLE ? 'needle' : `u-${n}` }, n } };
    }),
  );
}

const server = spawn(process.execPath, [cli, 'console', '--port', '0'], {
  env,
  stdio: ['ignore', 'pipe', 'inherit'],
});
const consoleUrl = await new Promise((resolve, reject) => {
  let out = '';
  server.stdout.on('data', (d) => {
    out += d;
    const m = /(http:\/\/127\.0\.0\.1:\d+)\/\S*token=(\S+)/.exec(out);
    if (m) resolve({ origin: m[1], token: decodeURIComponent(m[2]) });
  });
  server.on('exit', () => reject(new Error(`console exited:\n${out}`)));
});
const socket = new WebSocket(
  `${consoleUrl.origin.replace(/^http/, 'ws')}/ws?token=${encodeURIComponent(consoleUrl.token)}`,
);
await new Promise(
  (resolve, reject) => (socket.once('open', resolve), socket.once('error', reject)),
);
const api = createORPCClient(new RPCLink({ websocket: socket }));
// The queue was filled outside Guildhall: make the core discover it.
await api.queues.add({ queue: QUEUE, name: 'order', data: { user: { id: 'late' }, n: -1 } });

/** One search to the end, as the console runs it; times in ms from its start. */
async function searchOnce(query) {
  const started = performance.now();
  let first = null;
  let cursor = 0;
  let found = 0;
  let pages = 0;
  while (cursor !== null) {
    const page = await api.controls.search({
      queue: QUEUE,
      state: 'waiting',
      ...query,
      cursor,
      limit: 100,
    });
    pages += 1;
    found += page.matches.length;
    if (first === null && page.matches.length > 0) first = performance.now() - started;
    cursor = page.cursor;
  }
  return { first, end: performance.now() - started, found, pages };
}

const byPath = { first: [], end: [] };
const byText = { first: [], end: [] };
let pagesPerSearch = 0;
await searchOnce({ text: 'warm-up' });
for (let round = 0; round < ROUNDS; round++) {
  const p = await searchOnce({ path: 'user.id', value: '"needle"' });
  if (p.found !== 1) throw new Error(`path search found ${p.found}, expected 1`);
  byPath.first.push(p.first);
  byPath.end.push(p.end);
  const t = await searchOnce({ text: 'NEEDLE' });
  byText.first.push(t.first);
  byText.end.push(t.end);
  pagesPerSearch = p.pages;
}

// Schedule punctuality: every 1,000 ms on echo for TICKS runs.
await api.schedules.save({ queue: 'echo', id: 'bench-tick', every: 1000, jobName: 'tick' });
const echo = new Queue('echo', { connection });
const lateness = [];
await sleep((TICKS + 2) * 1000);
await api.schedules.remove({ queue: 'echo', id: 'bench-tick' });
const done = await echo.getJobs(['completed'], 0, 1000, false);
for (const job of done) {
  const match = /^repeat:bench-tick:(\d+)$/.exec(job.id ?? '');
  if (match && job.processedOn) lateness.push(job.processedOn - Number(match[1]));
}
await echo.close();

socket.close();
server.kill('SIGINT');
await queue.obliterate({ force: true }).catch(() => {});
await queue.close();
connection.disconnect();
await spawnCli(['down', '--volumes'], env);
await fs.rm(home, { recursive: true, force: true });

const ms = (v) => (v === null || v === undefined ? '-' : `${v.toFixed(0)} ms`);
const row = (label, values) => {
  const s = stats(values);
  return `| ${label} | ${ms(s.median)} | ${ms(s.min)} | ${ms(s.max)} |`;
};
const m = await machine();
const markdown = `## Search by job data and schedule punctuality

Search: one job among ${JOBS.toLocaleString('en')} waiting jobs, through the console's WebSocket API,
page after page of up to 100 matches (${pagesPerSearch} calls per search, each bounded at 2 s), ${ROUNDS} rounds.
Schedule: every 1,000 ms on \`echo\` with one idle worker, ${lateness.length} runs; lateness = the
job's start minus its scheduled time.
Machine: ${m.cores} cores, ${m.memoryGiB} GiB, ${m.cpu}; Docker ${m.docker}; Node ${m.node}; ${m.date}.

| measure | median | min | max |
| --- | --- | --- | --- |
${row('path = value: first match', byPath.first)}
${row('path = value: whole state', byPath.end)}
${row('text: first match', byText.first)}
${row('text: whole state', byText.end)}
${row('schedule lateness (every 1 s)', lateness)}

Rerun: \`npm run build && node tests/bench/queue-features.mjs --jobs ${JOBS} --rounds ${ROUNDS} --ticks ${TICKS}\`.
`;
await writeReportSection('queue-features', markdown);
process.stdout.write(markdown);
