// Benchmark (issue 14): from `guildhall apply FILE` of a pool with 3 extra Debian packages to that
// pool's first job done — cold (its image built: apt reaches Debian's mirrors through the
// engine's network) and cached (the image reused). The file holds the default pool (1 worker)
// and the pool `benchtools` with packages [jq, tree, less] serving the queue `benchtools` (shell
// processor) alone; the job runs `jq --version` there. Each round: cold apply + job, `down`,
// cached apply + job, `down`, then the pool's image is removed so the next round is cold again.
// Run: npm run build && node tests/bench/pool-apply.mjs [--rounds N]
import { execFile } from 'node:child_process';
import fs from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { Queue } from 'bullmq';
import { arg, benchHome, cliOutput, freePort, goal, loadAverage, row, sec } from './bench-kit.mjs';
import { machine, sleep, stats, writeReportSection } from './lib.mjs';

const execFileAsync = promisify(execFile);
const rounds = arg('--rounds', 2);
const CLUSTER = { name: 'ghbapply', port: await freePort(), workers: 1 };
const POOL = 'benchtools';
const PACKAGES = ['jq', 'tree', 'less'];
const { home, env, remove } = await benchHome('guildhall-bench-apply', CLUSTER);

const file = path.join(home, 'cluster.yaml');
await fs.writeFile(
  file,
  `pools:
  worker: { replicas: 1, memoryMb: 256 }
  ${POOL}:
    replicas: 1
    memoryMb: 256
    packages: [${PACKAGES.join(', ')}]
    queues: [{ name: ${POOL}, processor: shell }]
`,
);

async function redisConnection() {
  const url = new URL((await cliOutput(['connect'], env)).trim());
  return { host: url.hostname, port: Number(url.port), password: decodeURIComponent(url.password) };
}

/** The pool's image tags (guildhall/pool-benchtools:*). */
async function poolImages() {
  const { stdout } = await execFileAsync('docker', [
    'images',
    '--format',
    '{{.Repository}}:{{.Tag}}',
    `guildhall/pool-${POOL}`,
  ]);
  return stdout.split('\n').filter(Boolean);
}

/** ms from `apply` to the pool's first job done; ms of the apply alone. */
async function applyToFirstJob() {
  const started = performance.now();
  await cliOutput(['apply', file], env);
  const applied = performance.now();
  const connection = await redisConnection();
  const queue = new Queue(POOL, { connection });
  try {
    const job = await queue.add('bench', { command: ['jq', '--version'] });
    const deadline = Date.now() + 180_000;
    for (;;) {
      const state = await job.getState();
      if (state === 'completed') break;
      if (state === 'failed' || Date.now() > deadline) {
        const { stdout } = await execFileAsync('docker', [
          'logs',
          '--tail',
          '20',
          `${CLUSTER.name}-${POOL}-1`,
        ]).catch((e) => ({ stdout: String(e) }));
        throw new Error(`the ${POOL} job is ${state}; the pool's log ends:\n${stdout}`);
      }
      await sleep(50);
    }
    return { total: performance.now() - started, apply: applied - started };
  } finally {
    await queue.close();
  }
}

const cold = { total: [], apply: [] };
const cached = { total: [], apply: [] };
const loads = [];
try {
  for (const tag of await poolImages()) await execFileAsync('docker', ['rmi', tag]);
  for (let round = 0; round < rounds; round++) {
    loads.push(loadAverage());
    const c = await applyToFirstJob();
    cold.total.push(c.total);
    cold.apply.push(c.apply);
    await cliOutput(['down', '--volumes'], env);
    const w = await applyToFirstJob();
    cached.total.push(w.total);
    cached.apply.push(w.apply);
    await cliOutput(['down', '--volumes'], env);
    for (const tag of await poolImages()) await execFileAsync('docker', ['rmi', tag]);
    process.stderr.write(
      `pool-apply round ${round + 1}/${rounds}: cold ${sec(c.total)}, cached ${sec(w.total)}\n`,
    );
  }
  const s = {
    coldTotal: stats(cold.total),
    coldApply: stats(cold.apply),
    cachedTotal: stats(cached.total),
    cachedApply: stats(cached.apply),
  };
  const m = await machine();
  const markdown = `## Pools: apply of a pool with 3 extra packages → its first job done

\`guildhall apply FILE\` (the built CLI) of a cluster file with the default pool (1 worker) and a pool \`${POOL}\` with \`packages: [${PACKAGES.join(', ')}]\` serving the queue \`${POOL}\` alone, until a shell job on that queue (\`jq --version\`) completed. Cold: no image for the pool (apt-get update + install from Debian's mirrors through the engine's network, on the offline base image); cached: the pool's image reused. Every apply starts from no cluster (\`down --volumes\` between); ${rounds} rounds.
Machine: ${m.cores} cores, ${m.memoryGiB} GiB, ${m.cpu}; Docker ${m.docker}; Node ${m.node}; ${m.date}. 1-min load average at each round's start: ${loads.join(', ')} (the host is shared; the cold figure also depends on the mirrors).

| measure | median | min | max |
| --- | --- | --- | --- |
${row('cold: apply → first job done', s.coldTotal, sec)}
${row('cold: apply alone (build + up)', s.coldApply, sec)}
${row('cached: apply → first job done', s.cachedTotal, sec)}
${row('cached: apply alone (up)', s.cachedApply, sec)}

Cached apply → first job: ${goal((s.cachedTotal.median / 1000).toFixed(2), ' s', '≤', '15')}.
Rerun: \`npm run build && node tests/bench/pool-apply.mjs --rounds ${rounds}\`.
`;
  await writeReportSection('pool-apply', markdown);
  process.stdout.write(markdown);
} finally {
  await cliOutput(['down', '--volumes'], env).catch(() => {});
  for (const tag of await poolImages().catch(() => []))
    await execFileAsync('docker', ['rmi', tag]).catch(() => {});
  await remove();
}
