// Benchmark: the history store's size on disk after a day of a 16-container cluster. The store
// (main/history, bundled here with esbuild) is written through its own API, fast: 26 hours of
// 5 s frames (Redis + 15 workers in two pools, 8 queues) with synthetic timestamps, so both tiers
// have reached their compaction point. Measured: the folder's bytes (against the bound the store
// states, historyBoundBytes), each tier's file, the time one append takes (CPU of the recorder's
// writes) and the time reading a 1 h and a 24 h span takes (what the console asks on load).
// Run: node tests/bench/history-size.mjs [--rounds N]
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { build } from 'esbuild';
import { arg, row } from './bench-kit.mjs';
import { machine, root, stats, writeReportSection } from './lib.mjs';

const rounds = arg('--rounds', 3);
const HOUR = 3_600_000;
const HOURS = 26;
const CONTAINERS = 16;
const QUEUES = 8;

const work = await fs.mkdtemp(path.join(os.tmpdir(), 'guildhall-bench-history-'));
const bundle = path.join(work, 'history.mjs');
await build({
  stdin: {
    contents: `export * from './main/history/history-store.ts';
export * from './main/history/history-bounds.ts';`,
    resolveDir: root,
    loader: 'ts',
  },
  bundle: true,
  platform: 'node',
  format: 'esm',
  outfile: bundle,
  logLevel: 'error',
});
const { HistoryStore, readHistory, historyBoundBytes } = await import(bundle);

function frame(at, i) {
  const wave = Math.sin(i / 50);
  return {
    at,
    host: {
      cpuPercent: 35 + 20 * wave,
      memoryUsedBytes: 6.1e9 + 1e9 * wave,
      memoryTotalBytes: 25.7e9,
    },
    containers: Array.from({ length: CONTAINERS }, (_, n) => ({
      name: n === 0 ? 'redis' : n <= 11 ? `worker-${n}` : `tools-${n - 11}`,
      pool: n === 0 ? 'redis' : n <= 11 ? 'worker' : 'tools',
      cpuPercent: 12.3 + 40 * Math.abs(wave) + n,
      memoryBytes: Math.round(187_654_321 + 1e7 * wave + n * 1e6),
    })),
    queues: Array.from({ length: QUEUES }, (_, q) => ({
      name: ['shell', 'http', 'echo', 'sleep', 'email', 'thumbnails', 'reports', 'billing'][q],
      completedPerSec: 12.5 + 10 * wave,
      failedPerSec: wave > 0.9 ? 0.25 : 0,
    })),
  };
}

async function folderBytes(folder) {
  const files = {};
  for (const name of await fs.readdir(folder))
    files[name] = (await fs.stat(path.join(folder, name))).size;
  return files;
}

const results = [];
for (let round = 0; round < rounds; round++) {
  const folder = path.join(work, `round-${round}`);
  const store = await HistoryStore.open(folder);
  const end = Date.UTC(2026, 11, 1) + HOURS * HOUR;
  let i = 0;
  const appendMs = [];
  for (let at = end - HOURS * HOUR; at < end; at += 5_000) {
    const started = process.hrtime.bigint();
    await store.append(frame(at, i++));
    appendMs.push(Number(process.hrtime.bigint() - started) / 1e6);
  }
  const files = await folderBytes(folder);
  const timeRead = async (span) => {
    const started = process.hrtime.bigint();
    const read = await readHistory(folder, { from: end - span, to: end });
    return { ms: Number(process.hrtime.bigint() - started) / 1e6, frames: read.frames.length };
  };
  const hour = await timeRead(HOUR);
  const day = await timeRead(24 * HOUR);
  results.push({
    total: Object.values(files).reduce((a, b) => a + b, 0),
    fine: files['fine.jsonl'] ?? 0,
    coarse: files['coarse.jsonl'] ?? 0,
    appends: appendMs.length,
    appendMedianMs: stats(appendMs).median,
    appendMeanMs: appendMs.reduce((a, b) => a + b, 0) / appendMs.length,
    hourMs: hour.ms,
    hourFrames: hour.frames,
    dayMs: day.ms,
    dayFrames: day.frames,
  });
  process.stderr.write(`round ${round + 1}: ${JSON.stringify(results.at(-1))}\n`);
}
await fs.rm(work, { recursive: true, force: true });

const bound = historyBoundBytes(CONTAINERS, QUEUES);
const mb = (bytes) => `${(bytes / 1e6).toFixed(2)} MB`;
const ms = (value) => `${value.toFixed(2)} ms`;
const count = (value) => String(Math.round(value));
const s = (key) => stats(results.map((r) => r[key]));
const m = await machine();
const total = s('total');
const markdown = `
## History store: size after 24 h of 16 containers

${HOURS} hours of 5 s frames (${results[0].appends} appends; Redis + 15 workers in two pools, ${QUEUES} queues) written through \`HistoryStore.append\` with synthetic timestamps, into a fresh folder per round; ${rounds} rounds. The folder is \`<home>/history/<cluster>/\`: \`fine.jsonl\` (5 s, last hour) and \`coarse.jsonl\` (1 min, last day), compacted at a fixed line count. The bound is \`historyBoundBytes(${CONTAINERS}, ${QUEUES})\` (main/history/history-bounds.ts): both tiers at their compaction point plus one compaction's temporary copy, with every name at its 64-character cap. Append time includes each compaction it triggers; reads parse the whole tier file.
Machine: ${m.cores} cores, ${m.memoryGiB} GiB, ${m.cpu}; Node ${m.node}; ${new Date().toISOString().slice(0, 10)}.

| measure | median | min | max |
| --- | --- | --- | --- |
${row('history folder after 24 h', total, mb)}
${row('fine.jsonl (5 s, 1 h)', s('fine'), mb)}
${row('coarse.jsonl (1 min, 24 h)', s('coarse'), mb)}
${row('append, median', s('appendMedianMs'), ms)}
${row('append, mean (compactions included)', s('appendMeanMs'), ms)}
${row('read 1 h span', s('hourMs'), ms)}
${row('frames in 1 h span', s('hourFrames'), count)}
${row('read 24 h span', s('dayMs'), ms)}
${row('frames in 24 h span', s('dayFrames'), count)}

History folder after 24 h of 16 containers: **${(total.median / 1e6).toFixed(2)} MB** (goal ≤ ${(bound / 1e6).toFixed(2)} MB, the stated bound).
Rerun: \`node tests/bench/history-size.mjs --rounds 3\`.
`;
await writeReportSection('history-size', markdown);
process.stdout.write(markdown);
