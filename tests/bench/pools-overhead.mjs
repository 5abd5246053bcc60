// Benchmark (issue 14): does watching a cluster cost the core more when its workers are spread
// over pools? `guildhall console` (the built CLI) beside Redis + 8 built-in workers, once as one
// pool of 8 and once as three pools (3 + 3 + 2), with one WebSocket client subscribed to metrics
// and cluster state (the monitor ticks at 1 Hz). Console CPU from /proc (utime + stime deltas, %
// of one core); the two layouts alternate round by round on the same cluster name and port.
// Run: npm run build && node tests/bench/pools-overhead.mjs [--rounds N] [--seconds S]
import fs from 'node:fs/promises';
import path from 'node:path';
import { createORPCClient } from '@orpc/client';
import { RPCLink } from '@orpc/client/websocket';
import WebSocket from 'ws';
import {
  arg,
  benchHome,
  freePort,
  cliOutput,
  cpuPercentOver,
  goal,
  loadAverage,
  row,
  startConsole,
} from './bench-kit.mjs';
import { machine, sleep, stats, writeReportSection } from './lib.mjs';

const rounds = arg('--rounds', 3);
const seconds = arg('--seconds', 60);
const SETTLE_MS = 5_000;
const CLUSTER = { name: 'ghbpools', port: await freePort(), workers: 8, memoryMb: 160 };
const { home, env, remove } = await benchHome('guildhall-bench-pools', CLUSTER);

const builtin = (replicas) => ({ replicas, memoryMb: CLUSTER.memoryMb, stopTimeoutSeconds: 5 });
const LAYOUTS = {
  one: { workers: 8, pools: {} },
  three: { workers: 3, pools: { alpha: builtin(3), beta: builtin(2) } },
};

/** Saves a layout into the settings and brings the cluster to it. */
async function layout(name) {
  const file = path.join(home, 'settings.json');
  const settings = JSON.parse(await fs.readFile(file, 'utf8'));
  settings.cluster.workers.replicas = LAYOUTS[name].workers;
  settings.cluster.pools = LAYOUTS[name].pools;
  await fs.writeFile(file, JSON.stringify(settings));
  await cliOutput(['up'], env);
}

/** Console CPU (% of one core) over `seconds` with one client watching, and its ticks. */
async function watchRound() {
  const server = await startConsole(env);
  try {
    const socket = new WebSocket(server.wsUrl);
    await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject));
    const client = createORPCClient(new RPCLink({ websocket: socket }));
    const iterator = await client.events.subscribe({ topics: ['metrics', 'cluster-state'] });
    let last = null;
    const reading = (async () => {
      for await (const event of iterator) if (event.topic === 'metrics') last = event.data;
    })().catch(() => {});
    await sleep(SETTLE_MS);
    const [cpu] = await cpuPercentOver([server.child.pid], seconds * 1000);
    const containers = last?.containers?.containers?.length ?? 0;
    if (containers < CLUSTER.workers + 1)
      throw new Error(`metrics list ${containers} containers, expected ${CLUSTER.workers + 1}`);
    await iterator.return?.();
    socket.close();
    await reading;
    return cpu;
  } finally {
    await server.stop();
  }
}

const cpu = { one: [], three: [] };
const loads = [];
try {
  for (let round = 0; round < rounds; round++) {
    for (const name of round % 2 === 0 ? ['one', 'three'] : ['three', 'one']) {
      process.stderr.write(`pools-overhead: round ${round + 1}/${rounds}, layout ${name}\n`);
      await layout(name);
      loads.push(loadAverage());
      cpu[name].push(await watchRound());
      process.stderr.write(`  console CPU ${cpu[name].at(-1).toFixed(2)} %\n`);
    }
  }
  const one = stats(cpu.one);
  const three = stats(cpu.three);
  const pct = (v) => `${v.toFixed(2)} %`;
  const m = await machine();
  const markdown = `## Pools: the core watching 8 workers in one pool vs three

\`guildhall console\` (the built CLI) beside Redis + 8 built-in workers, laid out as one pool of 8 or as three pools (worker 3, alpha 3, beta 2), with one WebSocket client subscribed to \`metrics\` and \`cluster-state\` (1 Hz), ${seconds} s per window starting ${SETTLE_MS / 1000} s after the client subscribed; a fresh console process per window; the layouts alternate, ${rounds} rounds each. CPU = (utime + stime) delta from /proc/<pid>/stat, % of one core.
Machine: ${m.cores} cores, ${m.memoryGiB} GiB, ${m.cpu}; Docker ${m.docker}; Node ${m.node}; ${m.date}. 1-min load average at each window's start: ${loads.join(', ')} (the host is shared).

| measure | median | min | max |
| --- | --- | --- | --- |
${row('console CPU, 8 workers in 1 pool', one, pct)}
${row('console CPU, 8 workers in 3 pools', three, pct)}

Watching 3 pools: ${goal(three.median.toFixed(2), ' %', '≤', '2')}; 3 pools over 1 pool: ${goal((three.median / one.median).toFixed(2), '×', '≤', '1.2')}.
Rerun: \`npm run build && node tests/bench/pools-overhead.mjs --rounds ${rounds} --seconds ${seconds}\`.
`;
  await writeReportSection('pools-overhead', markdown);
  process.stdout.write(markdown);
} finally {
  await cliOutput(['down', '--volumes'], env).catch(() => {});
  await remove();
}
