// Runs every benchmark in sequence (cluster-up, engines-up on Docker and Podman, scale,
// job-throughput when present, recovery, overhead, pools-overhead, pool-apply, supervisor-idle,
// history-size, history-recorder-cpu, autoscale-react), then assembles tests/bench/REPORT.md from
// tests/bench/results/*.md: the machine, each figure's median and spread (the result files'
// tables), the goals with ✔/✖, the fault injection counts (results/faults.md, written by
// tests/integration/faults-*.test.ts) and how to rerun.
// Run: npm run build && npm run bench
//      node tests/bench/report.mjs --only scale     (rerun one, then reassemble)
//      node tests/bench/report.mjs --skip job-throughput,overhead  (run the others)
//      node tests/bench/report.mjs --assemble-only  (no runs, just rebuild REPORT.md)
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { machine, root } from './lib.mjs';

const benchDir = path.join(root, 'tests', 'bench');
const resultsDir = path.join(benchDir, 'results');
const BENCHMARKS = [
  { name: 'cluster-up', title: 'Cluster up vs docker-compose and a docker-run script' },
  { name: 'engines-up', title: 'Cluster up on Docker and on Podman', optional: true },
  { name: 'scale', title: 'Scale 0 → 16 → 1 vs docker-compose --scale' },
  { name: 'job-throughput', title: 'Job throughput and latency vs bare BullMQ', optional: true },
  { name: 'job-pages', title: 'Jobs page with 100,000 jobs: page fetch and find by id' },
  { name: 'queue-features', title: 'Search by job data (100,000 jobs) and schedule punctuality' },
  { name: 'recovery', title: 'Recovery after kill -9 of a busy worker' },
  { name: 'overhead', title: 'Core CPU and memory while watching 8 workers' },
  { name: 'pools-overhead', title: 'Core CPU watching 8 workers in 1 pool vs 3 pools' },
  { name: 'pool-apply', title: 'Apply of a pool with 3 packages until its first job is done' },
  { name: 'supervisor-idle', title: 'Supervisor CPU with 8 idle workers' },
  { name: 'history-size', title: 'History store size after 24 h of 16 containers' },
  { name: 'history-recorder-cpu', title: 'History recorder CPU with 8 idle workers' },
  { name: 'autoscale-react', title: 'Autoscale: backlog to first extra worker' },
];

function option(name) {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

function runScript(file) {
  return new Promise((resolve) => {
    const started = Date.now();
    const child = spawn(process.execPath, [file], { cwd: root, stdio: 'inherit' });
    child.on('close', (code) => resolve({ code, ms: Date.now() - started }));
  });
}

const withUnit = (n, unit) => {
  const u = (unit ?? '').trim();
  return u === '' ? n : u === '×' ? `${n}×` : `${n} ${u}`;
};

/**
 * "label: **1.80 %** (goal ≤ 2 %)" anywhere in a results file → one goal per match. The
 * parenthesis may hold more ("(ratio of medians; goal ≥ 0.9×)"); in a table row the label is
 * the row's first cell, elsewhere the text before the value back to the previous ";".
 */
export function parseGoals(markdown) {
  const goals = [];
  const pattern =
    /\*\*([\d.]+)\s*([^*]*?)\*\*\s*\(([^()]*?)goal\s*(≤|≥|<=|>=)\s*([\d.]+)\s*([^);]*)[^)]*\)/g;
  for (const line of markdown.split('\n')) {
    const inTable = line.trim().startsWith('|');
    for (const match of line.matchAll(pattern)) {
      const [, value, unit, , op, target, targetUnit] = match;
      const before = line.slice(0, match.index);
      const label = inTable
        ? line.split('|')[1].trim()
        : before
            .slice(before.lastIndexOf(';') + 1)
            .replace(/[:\s]+$/, '')
            .trim();
      const v = Number(value);
      const t = Number(target);
      const met = op === '≤' || op === '<=' ? v <= t : v >= t;
      goals.push({
        label,
        value: withUnit(value, unit),
        goal: `${op} ${withUnit(target, targetUnit)}`,
        met,
      });
    }
  }
  return goals;
}

async function readResult(name) {
  const file = path.join(resultsDir, `${name}.md`);
  try {
    const [raw, stat] = await Promise.all([fsp.readFile(file, 'utf8'), fsp.stat(file)]);
    // The result file's own first line says when it was measured; its file time is only a
    // fallback (a fresh clone stamps every file with the checkout's time).
    const stamp = /^<!-- measured (.+?) -->\n/.exec(raw);
    const text = stamp ? raw.slice(stamp[0].length) : raw;
    const measured = stamp?.[1] ?? stat.mtime.toISOString().slice(0, 16).replace('T', ' ') + ' UTC';
    return { text, measured };
  } catch {
    return null;
  }
}

const only = option('--only');
const skip = new Set((option('--skip') ?? '').split(',').filter(Boolean));
const assembleOnly = process.argv.includes('--assemble-only');
for (const name of [only, ...skip].filter(Boolean)) {
  if (!BENCHMARKS.some((b) => b.name === name)) {
    process.stderr.write(
      `Unknown benchmark "${name}". Known: ${BENCHMARKS.map((b) => b.name).join(', ')}.\n`,
    );
    process.exit(2);
  }
}

const runs = new Map();
if (!assembleOnly) {
  if (!fs.existsSync(path.join(root, 'out', 'main', 'cli.js'))) {
    process.stderr.write('out/main/cli.js is missing: run `npm run build` first.\n');
    process.exit(2);
  }
  for (const bench of BENCHMARKS) {
    if ((only && bench.name !== only) || skip.has(bench.name)) continue;
    const file = path.join(benchDir, `${bench.name}.mjs`);
    if (!fs.existsSync(file)) {
      if (!bench.optional) runs.set(bench.name, { code: 'missing', ms: 0 });
      continue;
    }
    process.stderr.write(`\n=== bench: ${bench.name} ===\n`);
    runs.set(bench.name, await runScript(file));
  }
}

const m = await machine();
const sections = [];
const goalRows = [];
const addGoals = (title, text) => {
  for (const g of parseGoals(text))
    goalRows.push(`| ${title} | ${g.label} | ${g.value} | ${g.goal} | ${g.met ? '✔' : '✖'} |`);
};
for (const bench of BENCHMARKS) {
  const result = await readResult(bench.name);
  const run = runs.get(bench.name);
  const failed =
    run && run.code !== 0
      ? ` — **this run failed (exit ${run.code})**; the figures below are from the last successful run`
      : '';
  if (!result) {
    if (!bench.optional || run)
      sections.push(
        `## ${bench.title}\n\nNo results yet (\`results/${bench.name}.md\` missing)${failed}.\n`,
      );
    continue;
  }
  addGoals(bench.title, result.text);
  sections.push(
    `<!-- results/${bench.name}.md, measured ${result.measured} -->\n_From [results/${bench.name}.md](results/${bench.name}.md), measured ${result.measured}${failed}._\n\n${result.text.trim()}\n`,
  );
}
const faults = await readResult('faults');
if (faults) {
  addGoals('Fault injection', faults.text);
  sections.push(
    `_From [results/faults.md](results/faults.md), written ${faults.measured}._\n\n${faults.text.trim()}\n`,
  );
}

const report = `# Guildhall benchmarks and fault injection

Guildhall's numbers side by side with the alternatives (a hand-written docker-compose file, a script of \`docker run\`s, bare BullMQ workers), measured in the same run, and what happens when things crash.

Machine (assembled ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC): ${m.cores} cores, ${m.memoryGiB} GiB memory, ${m.cpu}; Docker ${m.docker}; Node ${m.node}. Each result file names its own date and the host's load average while it ran; on a shared 2-core host, absolute times are inflated and the side-by-side ratios are the more meaningful figure.

## Goals

| benchmark | figure (median) | measured | goal | met |
| --- | --- | --- | --- | --- |
${goalRows.join('\n')}

## How to rerun

\`\`\`sh
npm run build && npm run bench                 # every benchmark, then this report
node tests/bench/report.mjs --only scale       # one benchmark again, then this report
node tests/bench/report.mjs --assemble-only    # just rebuild this report from results/
GUILDHALL_RECORD_FAULTS=1 npx vitest run tests/integration/faults-   # fault tests; write results/faults.md
\`\`\`

Each benchmark also runs alone (\`node tests/bench/<name>.mjs --rounds N\`); it needs a Docker engine and the offline images (\`GUILDHALL_REDIS_IMAGE\`, \`GUILDHALL_WORKER_BASE_IMAGE\`).

${sections.join('\n')}`;
await fsp.writeFile(path.join(benchDir, 'REPORT.md'), report);
process.stdout.write(
  `Wrote ${path.relative(root, path.join(benchDir, 'REPORT.md'))} (${goalRows.length} goals).\n`,
);
const failures = [...runs].filter(([, r]) => r.code !== 0);
for (const [name, r] of failures)
  process.stderr.write(`benchmark ${name} failed (exit ${r.code})\n`);
process.exit(failures.length > 0 ? 1 : 0);
