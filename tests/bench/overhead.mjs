// Benchmark: what the core costs while it watches a cluster. The browser-console face
// (`guildhall console --port 0`, the built CLI) runs beside a cluster of 8 workers; measured from
// /proc: its CPU (utime + stime deltas, % of one core) and peak RSS (VmHWM), first idle (no
// client connected), then with one WebSocket client subscribed to metrics and cluster state (the
// monitor ticks at 1 Hz). dockerd's CPU over the same windows is shown for context: the stats
// streams the monitor opens cost the engine too.
// Run: npm run build && node tests/bench/overhead.mjs [--rounds N] [--seconds S] [--cpu-prof DIR]
import fs from 'node:fs/promises';
import { createORPCClient } from '@orpc/client';
import { RPCLink } from '@orpc/client/websocket';
import WebSocket from 'ws';
import {
  arg,
  benchHome,
  cliOutput,
  cpuPercentOver,
  goal,
  loadAverage,
  memoryMb,
  row,
  startConsole,
} from './bench-kit.mjs';
import { machine, sleep, stats, writeReportSection } from './lib.mjs';

const rounds = arg('--rounds', 3);
const seconds = arg('--seconds', 60);
const SETTLE_MS = 5_000;
const profIndex = process.argv.indexOf('--cpu-prof');
const profDir = profIndex >= 0 ? process.argv[profIndex + 1] : null;
const CLUSTER = { name: 'ghbover', port: 26393, workers: 8 };
const { env, remove } = await benchHome('guildhall-bench-overhead', { ...CLUSTER, memoryMb: 192 });

async function dockerdPid() {
  return Number((await fs.readFile('/var/run/docker.pid', 'utf8')).trim());
}

/** CPU % of one core used by `pid` (and dockerd) over `ms`. */
async function measure(pid, ms) {
  const [cpu, engineCpu] = await cpuPercentOver([pid, await dockerdPid()], ms);
  return { cpu, engineCpu };
}

const results = {
  idleCpu: [],
  watchCpu: [],
  idleEngine: [],
  watchEngine: [],
  idleRss: [],
  watchRss: [],
  peak: [],
  ticks: [],
};
const loads = [];
try {
  process.stderr.write(`overhead: preparing (guildhall up, ${CLUSTER.workers} workers)\n`);
  await cliOutput(['up'], env);
  for (let round = 0; round < rounds; round++) {
    loads.push(loadAverage());
    const consoleServer = await startConsole(
      env,
      profDir ? ['--cpu-prof', '--cpu-prof-dir', profDir] : [],
    );
    const pid = consoleServer.child.pid;
    try {
      await sleep(SETTLE_MS);
      const idle = await measure(pid, seconds * 1000);
      results.idleCpu.push(idle.cpu);
      results.idleEngine.push(idle.engineCpu);
      results.idleRss.push((await memoryMb(pid)).rss);

      const socket = new WebSocket(consoleServer.wsUrl);
      await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject));
      const client = createORPCClient(new RPCLink({ websocket: socket }));
      const iterator = await client.events.subscribe({ topics: ['metrics', 'cluster-state'] });
      let ticks = 0;
      let counting = false;
      let lastTick = null;
      const reading = (async () => {
        for await (const event of iterator) {
          if (event.topic === 'metrics') {
            lastTick = event.data;
            if (counting) ticks++;
          }
        }
      })().catch(() => {});
      await sleep(SETTLE_MS);
      counting = true;
      const watch = await measure(pid, seconds * 1000);
      counting = false;
      results.watchCpu.push(watch.cpu);
      results.watchEngine.push(watch.engineCpu);
      results.watchRss.push((await memoryMb(pid)).rss);
      results.ticks.push(ticks);
      const containers = lastTick?.containers?.containers?.length ?? 0;
      if (containers < CLUSTER.workers + 1)
        throw new Error(
          `metrics ticks list ${containers} containers, expected ${CLUSTER.workers + 1}`,
        );
      await iterator.return?.();
      socket.close();
      await reading;
      results.peak.push((await memoryMb(pid)).hwm);
    } finally {
      await consoleServer.stop();
    }
    process.stderr.write(
      `overhead round ${round + 1}/${rounds}: idle ${results.idleCpu.at(-1).toFixed(2)} %, watching ${results.watchCpu.at(-1).toFixed(2)} % (${results.ticks.at(-1)} ticks), peak RSS ${results.peak.at(-1).toFixed(1)} MB; dockerd ${results.idleEngine.at(-1).toFixed(1)} % → ${results.watchEngine.at(-1).toFixed(1)} %\n`,
    );
  }

  const s = Object.fromEntries(Object.entries(results).map(([k, v]) => [k, stats(v)]));
  const pct = (v) => `${v.toFixed(2)} %`;
  const mb = (v) => `${v.toFixed(1)} MB`;
  const m = await machine();
  const markdown = `## Overhead: the core watching ${CLUSTER.workers} workers

\`guildhall console\` (the built CLI, Node ${process.version}) beside a running cluster of Redis + ${CLUSTER.workers} workers. Idle: no client connected, ${seconds} s. Watching: one WebSocket client subscribed to \`metrics\` and \`cluster-state\` (the monitor ticks at 1 Hz), ${seconds} s. Each window starts ${SETTLE_MS / 1000} s after the previous step; a fresh console process per round; ${rounds} rounds. CPU = (utime + stime) delta from /proc/<pid>/stat over the window, in % of one core; peak RSS = VmHWM at the end of the round.
Machine: ${m.cores} cores, ${m.memoryGiB} GiB, ${m.cpu}; Docker ${m.docker}; Node ${m.node}; ${m.date}. 1-min load average at each round's start: ${loads.join(', ')} (the host is shared).

| measure | median | min | max |
| --- | --- | --- | --- |
${row('console CPU, idle (no client)', s.idleCpu, pct)}
${row('console CPU, watching (1 client, metrics at 1 Hz)', s.watchCpu, pct)}
${row('console RSS after idle', s.idleRss, mb)}
${row('console RSS after watching', s.watchRss, mb)}
${row('console peak RSS (VmHWM)', s.peak, mb)}
${row('metrics ticks received per window', s.ticks, (v) => String(v))}
${row('dockerd CPU, idle window (context)', s.idleEngine, pct)}
${row('dockerd CPU, watching window (context)', s.watchEngine, pct)}

Watching CPU: ${goal(s.watchCpu.median.toFixed(2), ' %', '≤', '2')}; idle CPU: ${goal(s.idleCpu.median.toFixed(2), ' %', '≤', '0.5')}; peak RSS: ${goal(s.peak.median.toFixed(1), ' MB', '≤', '150')}.
Rerun: \`npm run build && node tests/bench/overhead.mjs --rounds ${rounds} --seconds ${seconds}\`.
`;
  await writeReportSection('overhead', markdown);
  process.stdout.write(markdown);
} finally {
  await cliOutput(['down', '--volumes'], env).catch(() => {});
  await remove();
}
