// Benchmark: what recording history costs the process that supervises. A cluster of Redis +
// 8 idle workers; the history duty (main/supervisor/history-duty.ts, bundled here with esbuild)
// is driven the way the supervisor drives it: each 5 s tick, given the cluster status the
// supervisor read for the tick. Measured over the window: this process's CPU (process.cpuUsage,
// user + system) minus the CPU spent reading the status (the supervisor reads it anyway), in %
// of one core; each tick's wall time; the frames written.
// Run: npm run build && node tests/bench/history-recorder-cpu.mjs [--rounds N] [--seconds S]
import fs from 'node:fs/promises';
import path from 'node:path';
import { build } from 'esbuild';
import { arg, benchHome, cliOutput, loadAverage, row } from './bench-kit.mjs';
import { machine, root, sleep, stats, writeReportSection } from './lib.mjs';

const rounds = arg('--rounds', 3);
const seconds = arg('--seconds', 60);
const TICK_MS = 5_000;
const CLUSTER = { name: 'ghbhist', port: 26397, workers: 8 };
const { home, env, remove } = await benchHome('guildhall-bench-history', {
  ...CLUSTER,
  memoryMb: 192,
});

const bundle = path.join(root, 'out', 'bench', 'history-duty.mjs');
await build({
  stdin: {
    contents: `export { createCore } from './main/core.ts';
export { historyDuty } from './main/supervisor/history-duty.ts';
export { historyFolder } from './main/history/history-store.ts';`,
    resolveDir: root,
    loader: 'ts',
  },
  bundle: true,
  platform: 'node',
  format: 'esm',
  packages: 'external',
  tsconfig: path.join(root, 'tsconfig.node.json'),
  outfile: bundle,
  logLevel: 'error',
});
const { createCore, historyDuty, historyFolder } = await import(bundle);

const cpuMs = () => {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1000;
};

const results = [];
const loads = [];
try {
  await cliOutput(['up'], env);
  const core = createCore({
    home,
    version: 'bench',
    workerContextDir: path.join(root, 'resources', 'worker'),
    env,
  });
  for (let round = 0; round < rounds; round++) {
    loads.push(loadAverage());
    const duty = historyDuty();
    const signal = new AbortController().signal;
    const tickMs = [];
    let statusCpu = 0;
    // One tick before the window: connections opened, first reads made.
    await duty.tick({
      core,
      status: await core.cluster.status(),
      now: Date.now(),
      signal,
      record() {},
    });
    await sleep(TICK_MS);
    const startCpu = cpuMs();
    const started = Date.now();
    while (Date.now() - started < seconds * 1000) {
      const beforeStatus = cpuMs();
      const status = await core.cluster.status();
      statusCpu += cpuMs() - beforeStatus;
      const tickStarted = performance.now();
      await duty.tick({ core, status, now: Date.now(), signal, record() {} });
      tickMs.push(performance.now() - tickStarted);
      await sleep(TICK_MS - ((Date.now() - started) % TICK_MS));
    }
    const wallMs = Date.now() - started;
    const dutyCpu = cpuMs() - startCpu - statusCpu;
    await duty.stop();
    const fine = await fs.readFile(
      path.join(historyFolder(home, CLUSTER.name), 'fine.jsonl'),
      'utf8',
    );
    results.push({
      cpuPercent: (dutyCpu / wallMs) * 100,
      statusCpuPercent: (statusCpu / wallMs) * 100,
      tickMs: stats(tickMs).median,
      frames: fine.split('\n').filter(Boolean).length,
    });
    process.stderr.write(`round ${round + 1}: ${JSON.stringify(results.at(-1))}\n`);
  }
} finally {
  await cliOutput(['down', '--volumes'], env).catch(() => {});
  await remove();
}

const s = (key) => stats(results.map((r) => r[key]));
const pct = (v) => `${v.toFixed(3)} %`;
const ms = (v) => `${v.toFixed(1)} ms`;
const m = await machine();
const cpu = s('cpuPercent');
const markdown = `
## History recorder: CPU while recording 8 idle workers

The history duty driven as the supervisor drives it, one tick per 5 s for ${seconds} s, beside a cluster of Redis + 8 idle workers; each tick reads every running container once (one-shot engine stats), the host, and the queues' counters, and appends one frame. CPU = this process's user + system time over the window minus the time spent reading the cluster status for each tick (the supervisor reads it for every duty), in % of one core; ${rounds} rounds, a new duty per round.
Machine: ${m.cores} cores, ${m.memoryGiB} GiB, ${m.cpu}; Docker ${m.docker}; Node ${m.node}; ${new Date().toISOString().slice(0, 10)}. 1-min load average at each round's start: ${loads.join(', ')} (the host is shared).

| measure | median | min | max |
| --- | --- | --- | --- |
${row('history duty CPU', cpu, pct)}
${row('status reads CPU (context, not the duty)', s('statusCpuPercent'), pct)}
${row('tick wall time', s('tickMs'), ms)}

History duty CPU with 8 idle workers: **${cpu.median.toFixed(3)} %** (goal ≤ 0.3 %, the supervisor's whole budget).
Rerun: \`node tests/bench/history-recorder-cpu.mjs --rounds 3 --seconds 60\`.
`;
await writeReportSection('history-recorder-cpu', markdown);
process.stdout.write(markdown);
