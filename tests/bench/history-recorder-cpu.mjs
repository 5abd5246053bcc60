// Benchmark: what recording history costs the process that supervises. A cluster of Redis +
// 8 idle workers; the history duty (main/supervisor/history-duty.ts, bundled here with esbuild)
// is driven the way the supervisor drives it: each 5 s tick, given the cluster status the
// supervisor read for the tick. Measured over the window: this process's CPU (process.cpuUsage,
// user + system) minus the CPU spent reading the status (the supervisor reads it anyway), in %
// of one core; each tick's wall time; the frames written.
// With --baseline REF, the duty as it was at git revision REF (its main/ folder, from `git
// archive`) is bundled too and the two alternate round by round in the same process, beside the
// same cluster: before and after side by side, under the same load.
// Run: npm run build && node tests/bench/history-recorder-cpu.mjs [--rounds N] [--seconds S]
//        [--baseline REF]
import { execFileSync } from 'node:child_process';
import fs from 'node:fs/promises';
import path from 'node:path';
import { build } from 'esbuild';
import { arg, benchHome, cliOutput, loadAverage, row } from './bench-kit.mjs';
import { machine, root, sleep, stats, writeReportSection } from './lib.mjs';

const rounds = arg('--rounds', 3);
const seconds = arg('--seconds', 60);
const baselineIndex = process.argv.indexOf('--baseline');
const baselineRef = baselineIndex >= 0 ? process.argv[baselineIndex + 1] : null;
const TICK_MS = 5_000;
const WARMUP_SECONDS = 15;
const CLUSTER = { name: 'ghbhist', port: 26397, workers: 8 };
const { home, env, remove } = await benchHome('guildhall-bench-history', {
  ...CLUSTER,
  memoryMb: 192,
});

/** Bundles the duty from a source tree (the worktree, or REF's main/ unpacked under out/). */
async function bundleDuty(sourceRoot, name) {
  const outfile = path.join(root, 'out', 'bench', `${name}.mjs`);
  await build({
    stdin: {
      contents: `export { createCore } from './main/core.ts';
export { historyDuty } from './main/supervisor/history-duty.ts';
export { historyFolder } from './main/history/history-store.ts';`,
      resolveDir: sourceRoot,
      loader: 'ts',
    },
    bundle: true,
    platform: 'node',
    format: 'esm',
    packages: 'external',
    tsconfig: path.join(sourceRoot, 'tsconfig.node.json'),
    outfile,
    logLevel: 'error',
  });
  return import(outfile);
}

/** REF's main/ and tsconfigs, unpacked beside the build output (node_modules resolve from root). */
async function baselineSource(ref) {
  const dir = path.join(root, 'out', 'bench', 'baseline-src');
  await fs.rm(dir, { recursive: true, force: true });
  await fs.mkdir(dir, { recursive: true });
  const files = ['main', 'tsconfig.base.json', 'tsconfig.node.json'];
  const archive = execFileSync('git', ['archive', ref, ...files], { cwd: root, maxBuffer: 1e9 });
  execFileSync('tar', ['-x', '-C', dir], { input: archive });
  return dir;
}

const variants = [
  { label: 'this tree', key: 'current', ...(await bundleDuty(root, 'history-duty')) },
];
let revision = null;
if (baselineRef) {
  revision = execFileSync('git', ['rev-parse', '--short', baselineRef], { cwd: root })
    .toString()
    .trim();
  variants.unshift({
    label: `before (${revision})`,
    key: 'baseline',
    ...(await bundleDuty(await baselineSource(baselineRef), 'history-duty-baseline')),
  });
}
const { historyFolder } = variants.at(-1);

const cpuMs = () => {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1000;
};

/** One round of one variant: its own core and a new duty, ticking for the window. */
async function measureRound(variant, windowSeconds = seconds) {
  const core = variant.createCore({
    home,
    version: 'bench',
    workerContextDir: path.join(root, 'resources', 'worker'),
    env,
  });
  const duty = variant.historyDuty();
  const signal = new AbortController().signal;
  const tickMs = [];
  let statusCpu = 0;
  const folder = historyFolder(home, CLUSTER.name);
  const framesBefore = await countFrames(folder);
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
  while (Date.now() - started < windowSeconds * 1000) {
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
  return {
    cpuPercent: (dutyCpu / wallMs) * 100,
    statusCpuPercent: (statusCpu / wallMs) * 100,
    tickMs: stats(tickMs).median,
    frames: (await countFrames(folder)) - framesBefore,
  };
}

async function countFrames(folder) {
  const fine = await fs.readFile(path.join(folder, 'fine.jsonl'), 'utf8').catch(() => '');
  return fine.split('\n').filter(Boolean).length;
}

const results = Object.fromEntries(variants.map((v) => [v.key, []]));
const loads = [];
try {
  await cliOutput(['up'], env);
  // A short unrecorded round of each first: the code paths of both compiled before any window.
  for (const variant of variants) await measureRound(variant, WARMUP_SECONDS);
  for (let round = 0; round < rounds; round++) {
    loads.push(loadAverage());
    // Alternate the order, so neither variant always runs first after a round's pause.
    const order = round % 2 === 0 ? variants : [...variants].reverse();
    for (const variant of order) {
      results[variant.key].push(await measureRound(variant));
      process.stderr.write(
        `round ${round + 1}, ${variant.label}: ${JSON.stringify(results[variant.key].at(-1))}\n`,
      );
    }
  }
} finally {
  await cliOutput(['down', '--volumes'], env).catch(() => {});
  await remove();
}

const s = (variant, key) => stats(results[variant.key].map((r) => r[key]));
const pct = (v) => `${v.toFixed(3)} %`;
const ms = (v) => `${v.toFixed(1)} ms`;
const m = await machine();
const current = variants.at(-1);
const cpu = s(current, 'cpuPercent');
const named = (variant, label) => (variants.length > 1 ? `${label}, ${variant.label}` : label);
const rows = (key, label, format) =>
  variants.map((v) => row(named(v, label), s(v, key), format)).join('\n');
const comparison = baselineRef
  ? ` The duty as it was at \`${revision}\` and as it is in this tree alternate round by round in the same process beside the same cluster (the order swapped each round), after an unrecorded ${WARMUP_SECONDS} s round of each.`
  : '';
const markdown = `
## History recorder: CPU while recording 8 idle workers

The history duty driven as the supervisor drives it, one tick per 5 s for ${seconds} s, beside a cluster of Redis + 8 idle workers; each tick reads every running container once (one-shot engine stats), the host, and the queues' counters, and appends one frame. CPU = this process's user + system time over the window minus the time spent reading the cluster status for each tick (the supervisor reads it for every duty), in % of one core; ${rounds} rounds, a new duty per round.${comparison}
Machine: ${m.cores} cores, ${m.memoryGiB} GiB, ${m.cpu}; Docker ${m.docker}; Node ${m.node}; ${new Date().toISOString().slice(0, 10)}. 1-min load average at each round's start: ${loads.join(', ')} (the host is shared).

| measure | median | min | max |
| --- | --- | --- | --- |
${rows('cpuPercent', 'history duty CPU', pct)}
${rows('statusCpuPercent', 'status reads CPU (context, not the duty)', pct)}
${rows('tickMs', 'tick wall time', ms)}
${rows('frames', 'frames written per window', (v) => String(v))}

History duty CPU with 8 idle workers: **${cpu.median.toFixed(3)} %** (goal ≤ 0.3 %, the supervisor's whole budget).
Rerun: \`node tests/bench/history-recorder-cpu.mjs --rounds ${rounds} --seconds ${seconds}${baselineRef ? ` --baseline ${baselineRef}` : ''}\`.
`;
await writeReportSection('history-recorder-cpu', markdown);
process.stdout.write(markdown);
