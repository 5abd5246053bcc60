// Benchmark: what the supervisor costs while nothing changes. `guildhall supervise` (the built
// CLI) beside a running cluster of Redis + 8 idle workers: its CPU (utime + stime deltas from
// /proc, % of one core) and RSS over each window, after it took the lease and settled. The
// process does nothing else, so this is the supervisor's own cost: a lease renewal every 2 s,
// the engine's event stream, a status read every 10 s.
// Run: npm run build && node tests/bench/supervisor-idle.mjs [--rounds N] [--seconds S]
import {
  arg,
  benchHome,
  cliOutput,
  cpuPercentOver,
  goal,
  loadAverage,
  memoryMb,
  row,
  startSupervisor,
} from './bench-kit.mjs';
import { machine, sleep, stats, writeReportSection } from './lib.mjs';

const rounds = arg('--rounds', 3);
const seconds = arg('--seconds', 60);
const SETTLE_MS = 10_000;
const CLUSTER = { name: 'ghbsuper', port: 26394, workers: 8 };
const { env, remove } = await benchHome('guildhall-bench-supervisor', {
  ...CLUSTER,
  memoryMb: 192,
});

const results = { cpu: [], rss: [] };
const loads = [];
try {
  process.stderr.write(`supervisor-idle: preparing (guildhall up, ${CLUSTER.workers} workers)\n`);
  await cliOutput(['up'], env);
  for (let round = 0; round < rounds; round++) {
    loads.push(loadAverage());
    const supervisor = await startSupervisor(env);
    const child = supervisor.child;
    try {
      await sleep(SETTLE_MS);
      results.cpu.push((await cpuPercentOver([child.pid], seconds * 1000))[0]);
      results.rss.push((await memoryMb(child.pid)).rss);
      if (/recreate|restart|backoff/.test(supervisor.output()))
        throw new Error(`it acted:\n${supervisor.output()}`);
    } finally {
      await supervisor.stop();
    }
    process.stderr.write(
      `supervisor-idle round ${round + 1}/${rounds}: ${results.cpu.at(-1).toFixed(3)} %, RSS ${results.rss.at(-1).toFixed(1)} MB\n`,
    );
  }
  const s = Object.fromEntries(Object.entries(results).map(([k, v]) => [k, stats(v)]));
  const m = await machine();
  const markdown = `## Supervisor: CPU with ${CLUSTER.workers} idle workers

\`guildhall supervise\` (the built CLI, Node ${process.version}) holding the lease of a running cluster of Redis + ${CLUSTER.workers} idle workers; ${seconds} s windows starting ${SETTLE_MS / 1000} s after it took the lease; a fresh process per round; ${rounds} rounds. CPU = (utime + stime) delta from /proc/<pid>/stat, in % of one core.
Machine: ${m.cores} cores, ${m.memoryGiB} GiB, ${m.cpu}; Docker ${m.docker}; Node ${m.node}; ${m.date}. 1-min load average at each round's start: ${loads.join(', ')} (the host is shared).

| measure | median | min | max |
| --- | --- | --- | --- |
${row('supervise CPU, idle cluster', s.cpu, (v) => `${v.toFixed(3)} %`)}
${row('supervise RSS', s.rss, (v) => `${v.toFixed(1)} MB`)}

Idle CPU: ${goal(s.cpu.median.toFixed(3), ' %', '≤', '0.3')}.
Rerun: \`npm run build && node tests/bench/supervisor-idle.mjs --rounds ${rounds} --seconds ${seconds}\`.
`;
  await writeReportSection('supervisor-idle', markdown);
  process.stdout.write(markdown);
} finally {
  await cliOutput(['down', '--volumes'], env).catch(() => {});
  await remove();
}
