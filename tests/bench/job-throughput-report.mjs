// The markdown report of tests/bench/job-throughput.mjs: the table over rounds, the ratios, and
// where the CPU per job goes (worker program vs bare BullMQ, container vs host, docker-proxy).
import fs from 'node:fs';
import { stats } from './lib.mjs';

/**
 * cgroup v1 with host processes in the root cpu cgroup: every container shares the one
 * /docker group's weight, while each busy host process has a weight of its own.
 */
function cpuSchedulingNote() {
  try {
    const own = /^\d+:cpu(?:,cpuacct)?:(.*)$/m.exec(fs.readFileSync('/proc/self/cgroup', 'utf8'));
    const shares = fs.readFileSync('/sys/fs/cgroup/cpu/docker/cpu.shares', 'utf8').trim();
    if (own?.[1] !== '/') return '';
    return `CPU scheduling on this host: cgroup v1, host processes in the root cpu cgroup, all containers under /docker with cpu.shares ${shares}. When the host is busy, the whole /docker group (Redis, the cluster's workers and every other container) weighs as much as one busy host process, so wall-clock comparisons between containers and host processes lean towards the host processes; CPU time per job is not affected.\n`;
  } catch {
    return '';
  }
}

const VARIANTS = ['cluster', 'program', 'bare'];
const LABEL = {
  cluster: 'Cluster, 4 containers',
  program: 'Worker program on host',
  bare: 'Bare BullMQ on host',
};

export function jobThroughputReport(input) {
  const { results, pairedRatios, redisCeiling, loads, m, rounds, jobs, hasBench } = input;
  const { workerInfo, constants: c } = input;
  const median = (variant, key) => stats(results[variant][key]).median;
  const row = (label, key, unit, digits = 0) =>
    VARIANTS.map((variant) => {
      const v = stats(results[variant][key]);
      const f = (x) => `${x.toFixed(digits)}${unit}`;
      return `| ${LABEL[variant]}: ${label} | ${f(v.median)} | ${f(v.min)} | ${f(v.max)} |`;
    }).join('\n');
  const ceiling = (where, label) =>
    ['set', 'lpush']
      .map((k) => {
        const v = stats(redisCeiling[where][k]);
        return `| redis-benchmark ${k.toUpperCase()} -n 100000, ${label} | ${v.median.toFixed(0)} req/s | ${v.min.toFixed(0)} | ${v.max.toFixed(0)} |`;
      })
      .join('\n');
  const ratio = median('cluster', 'rate') / median('bare', 'rate');
  const paired = stats(pairedRatios);
  const satRatio = median('cluster', 'satRate') / median('bare', 'satRate');
  const cpuRatio = median('bare', 'cpuPerJob') / median('cluster', 'cpuPerJob');
  const load = stats(loads);
  const ms = (variant, key) => median(variant, key).toFixed(0);
  const programExtra = median('program', 'consumerMs') - median('bare', 'consumerMs');
  const containerExtra = median('cluster', 'consumerMs') - median('program', 'consumerMs');

  return `## Job throughput: no-op jobs through the cluster vs bare BullMQ workers

Queue \`${c.queue}\` on the same Redis for every variant: the cluster's, through the \`guildhall connect\` URL (appendfsync everysec).
- **Cluster**: ${c.workers} worker containers × concurrency ${c.concurrency}: the built-in echo processor, metrics on, heartbeats (${workerInfo}).
- **Worker program on host**: the same worker program (resources/worker/dist/worker.cjs), ${c.workers} host processes × concurrency ${c.concurrency}, no container: separates the program's cost from the container's.
- **Bare BullMQ on host**: ${c.workers} host processes × \`new Worker('${c.queue}', async (job) => job.data, { concurrency: ${c.concurrency} })\` (BullMQ defaults: no metrics).

Host processes reach Redis at 127.0.0.1, i.e. through docker-proxy; worker containers reach it through Redis's unix socket in the cluster's run volume.
Only one variant consumes at a time (cluster scaled to 0 / host processes stopped); ${rounds} rounds, order alternated, each variant after a ${c.warmUp.toLocaleString('en')}-job warm-up.
Drain: ${jobs.toLocaleString('en')} jobs added to a paused queue, resumed, timed until all completed; CPU time (engine stats for containers, /proc for processes, INFO for Redis) and Redis commands (INFO commandstats, including those run inside BullMQ's Lua scripts) are counted over the drain.
Saturating: ${c.saturating.toLocaleString('en')} jobs added as fast as the producer can (addBulk × 1,000) while consumers run; rate = jobs / (last finishedOn − first timestamp).
Latency: processedOn − timestamp (enqueue → start), p50/p99 per round; low load = ${c.lowRate} jobs/s for ${c.lowSeconds} s.
Machine: ${m.cores} cores, ${m.memoryGiB} GiB, ${m.cpu}; Docker ${m.docker}; Node ${m.node}; ${m.date}. The host was shared with other work (1-minute load average at the start of the measurements ${load.min.toFixed(1)}–${load.max.toFixed(1)}, median ${load.median.toFixed(1)}), so wall-clock rates swing between rounds; CPU time per job is the steadier figure.

| measure (over rounds) | median | min | max |
| --- | --- | --- | --- |
${row('drain rate', 'rate', ' jobs/s')}
${row('saturating rate', 'satRate', ' jobs/s')}
${row('consumer CPU per 1,000 jobs', 'consumerMs', ' ms')}
${row('docker-proxy CPU per 1,000 jobs', 'proxyMs', ' ms')}
${row('Redis CPU per 1,000 jobs', 'redisMs', ' ms')}
${row('all CPU per 1,000 jobs', 'cpuPerJob', ' ms')}
${row('Redis commands per job', 'calls', '', 1)}
${row('latency p50, low load', 'p50low', ' ms')}
${row('latency p99, low load', 'p99low', ' ms')}
${row('latency p50, saturating', 'p50sat', ' ms')}
${row('latency p99, saturating', 'p99sat', ' ms')}
${hasBench ? ceiling('host', 'host → 127.0.0.1 (docker-proxy)') : '| redis-benchmark on the host | skipped: not installed (apt package redis-tools) | | |'}
${ceiling('container', 'inside the Redis container')}

Ratio cluster / bare, drain rate: **${ratio.toFixed(2)}×** (ratio of medians; goal ≥ 0.9×); per-round paired ratio median ${paired.median.toFixed(2)}× (min ${paired.min.toFixed(2)}, max ${paired.max.toFixed(2)}); saturating rate: ${satRatio.toFixed(2)}×.
CPU efficiency cluster / bare (all CPU per job, the rate ratio a CPU-bound host would see): **${cpuRatio.toFixed(2)}×**.

Where the CPU per job goes (medians, per 1,000 jobs): the worker program costs ${programExtra.toFixed(0)} ms more than a bare BullMQ Worker (${ms('program', 'consumerMs')} vs ${ms('bare', 'consumerMs')} ms: heartbeats refreshed at most every 250 ms while jobs run, metrics, the built-in processor wrapper, four queues per process); in its container, talking to Redis over the unix socket instead of TCP, it costs ${ms('cluster', 'consumerMs')} ms (${containerExtra >= 0 ? '+' : '−'}${Math.abs(containerExtra).toFixed(0)} ms); host clients also pay docker-proxy ${ms('bare', 'proxyMs')} ms. Redis commands per job: cluster ${median('cluster', 'calls').toFixed(1)}, bare ${median('bare', 'calls').toFixed(1)}.

${cpuSchedulingNote()}
Rerun: \`npm run build && node tests/bench/job-throughput.mjs --rounds ${rounds} --jobs ${jobs}\`.
`;
}
