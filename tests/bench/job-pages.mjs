// Benchmark: what the Jobs page waits for with 100,000 jobs in a queue — a page of 100 jobs at
// the start, middle and end of the list, and find-by-id — through the console's real WebSocket
// API (guildhall console), as the browser does. Goals: page ≤ 100 ms, find ≤ 50 ms (medians).
// Run: npm run build && node tests/bench/job-pages.mjs [--jobs 100000] [--rounds 30]
import { spawn } from 'node:child_process';
import fs from 'node:fs/promises';
import { createORPCClient } from '@orpc/client';
import { RPCLink } from '@orpc/client/websocket';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { WebSocket } from 'ws';
import { arg, benchHome, cliOutput, goal } from './bench-kit.mjs';
import { cli, machine, spawnCli, stats, writeReportSection } from './lib.mjs';

const JOBS = arg('--jobs', 100_000);
const ROUNDS = arg('--rounds', 30);
const QUEUE = 'bench-pages';
const cluster = { name: 'ghbenchpages', port: 26450, workers: 0 };
const { home, env } = await benchHome('guildhall-bench-pages', cluster);

await spawnCli(['up'], env);
const url = (await cliOutput(['connect'], env)).trim();
const connection = new Redis(url, { maxRetriesPerRequest: null });
const queue = new Queue(QUEUE, { connection });
for (let i = 0; i < JOBS; i += 1000) {
  await queue.addBulk(
    Array.from({ length: Math.min(1000, JOBS - i) }, (_, k) => ({
      name: `job-${(i + k) % 50}`,
      data: { n: i + k },
    })),
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

async function time(call) {
  const started = performance.now();
  await call();
  return performance.now() - started;
}

const total = (await api.queues.counts({ queue: QUEUE })).counts.waiting ?? JOBS;
const offsets = { start: 0, middle: Math.floor(total / 2), end: Math.max(0, total - 100) };
const page = { start: [], middle: [], end: [] };
const find = [];
await api.queues.jobs({ queue: QUEUE, state: 'waiting', start: 0, count: 100 }); // warm-up
for (let round = 0; round < ROUNDS; round++) {
  for (const [where, start] of Object.entries(offsets)) {
    page[where].push(
      await time(() => api.queues.jobs({ queue: QUEUE, state: 'waiting', start, count: 100 })),
    );
  }
  const id = String(1 + Math.floor(Math.random() * JOBS));
  find.push(await time(() => api.queues.findById({ queue: QUEUE, id })));
}

socket.close();
server.kill('SIGINT');
await queue.obliterate({ force: true }).catch(() => {});
await queue.close();
connection.disconnect();
await spawnCli(['down', '--volumes'], env);
await fs.rm(home, { recursive: true, force: true });

const ms = (v) => `${v.toFixed(1)} ms`;
const s = Object.fromEntries(Object.entries(page).map(([k, v]) => [k, stats(v)]));
const f = stats(find);
const worstPage = Math.max(s.start.median, s.middle.median, s.end.median);
const m = await machine();
const markdown = `## Jobs page with ${JOBS.toLocaleString('en')} jobs in a queue

Through the console's WebSocket API (what the browser calls), ${ROUNDS} rounds, a page = 100 jobs.
Machine: ${m.cores} cores, ${m.memoryGiB} GiB, ${m.cpu}; Docker ${m.docker}; Node ${m.node}; ${m.date}.

| call | median | min | max |
| --- | --- | --- | --- |
| page at the start | ${ms(s.start.median)} | ${ms(s.start.min)} | ${ms(s.start.max)} |
| page in the middle | ${ms(s.middle.median)} | ${ms(s.middle.min)} | ${ms(s.middle.max)} |
| page at the end | ${ms(s.end.median)} | ${ms(s.end.min)} | ${ms(s.end.max)} |
| find by id | ${ms(f.median)} | ${ms(f.min)} | ${ms(f.max)} |

Slowest page median: ${goal(worstPage.toFixed(1), ' ms', '≤', 100)}; find by id median: ${goal(f.median.toFixed(1), ' ms', '≤', 50)}.
Rerun: \`npm run build && node tests/bench/job-pages.mjs --jobs ${JOBS} --rounds ${ROUNDS}\`.
`;
await writeReportSection('job-pages', markdown);
process.stdout.write(markdown);
