// Benchmark: no-op (`echo`) jobs per second through a Guildhall cluster (4 worker containers ×
// concurrency 10) side by side with bare BullMQ Workers on the host (4 processes × concurrency
// 10, a no-op processor) against the SAME Redis, the cluster's, through its `guildhall connect`
// URL; plus Guildhall's worker program run on the host, to tell the program's cost from the
// container's. Only one variant consumes at a time: the cluster is scaled to 0 while host
// workers run, and host workers are stopped while the cluster runs. Also: enqueue → start latency
// (processedOn − timestamp) at low load (50 jobs/s) and at saturating load, CPU and Redis
// commands per job (robust on a busy host), and the Redis ceiling from redis-benchmark.
// Run: npm run build && node tests/bench/job-throughput.mjs [--rounds N] [--jobs N]
import fs from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { bareWorkers, connectionFromUrl, hostWorkerPrograms } from './job-consumers.mjs';
import { jobThroughputReport } from './job-throughput-report.mjs';
import { containerCpuMs, costMeter, dockerProxyPids, processCpuMs } from './cost-probes.mjs';
import { cli, machine, run, sleep, spawnCli, stats, writeReportSection } from './lib.mjs';

const QUEUE = 'echo';
const WORKERS = 4;
const CONCURRENCY = 10;
const LOW_RATE = 50;
const LOW_SECONDS = 10;
const SATURATING_JOBS = 10_000;
const WARM_UP_JOBS = 2_000;
const VARIANTS = ['cluster', 'program', 'bare'];

await benchmark();

function arg(name, fallback) {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1]) || fallback : fallback;
}

function freePort(from) {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(freePort(from + 1)));
    server.listen(from, '127.0.0.1', () => server.close(() => resolve(from)));
  });
}

/** The measurements, run against one queue on the cluster's Redis. */
function measurements(queue, jobs) {
  const completed = () => queue.getCompletedCount();
  const waitCompleted = async (n, timeoutMs = 300_000) => {
    const deadline = Date.now() + timeoutMs;
    while ((await completed()) < n) {
      if (Date.now() > deadline) throw new Error(`only ${await completed()}/${n} completed`);
      await sleep(20);
    }
  };
  const reset = () => queue.obliterate({ force: true });
  const fill = async (n) => {
    for (let done = 0; done < n; done += 1_000) {
      const size = Math.min(1_000, n - done);
      const items = Array.from({ length: size }, (_, i) => ({
        name: 'noop',
        data: { i: done + i },
      }));
      await queue.addBulk(items);
    }
  };
  const completedJobs = async () => {
    const total = await completed();
    const all = [];
    for (let start = 0; start < total; start += 1_000) {
      all.push(...(await queue.getJobs(['completed'], start, start + 999, true)));
    }
    return all;
  };
  const latencies = (list) => list.map((job) => job.processedOn - job.timestamp);
  return {
    async warmUp() {
      await reset();
      await fill(WARM_UP_JOBS);
      await waitCompleted(WARM_UP_JOBS);
    },
    /** Jobs/s draining a pre-filled queue (pause, fill, resume) and what each job cost. */
    async drain(meter) {
      await reset();
      await queue.pause();
      await fill(jobs);
      const before = await meter.take();
      const started = performance.now();
      await queue.resume();
      await waitCompleted(jobs);
      const rate = jobs / ((performance.now() - started) / 1000);
      const cost = await meter.since(before);
      const per1000 = (ms) => (ms / jobs) * 1000;
      return {
        rate,
        consumerMs: per1000(cost.consumerMs),
        proxyMs: per1000(cost.proxyMs),
        redisMs: per1000(cost.redisMs),
        calls: cost.calls / jobs,
      };
    },
    /** Jobs trickled at LOW_RATE per second: enqueue → start latency. */
    async lowLoad() {
      await reset();
      const total = LOW_RATE * LOW_SECONDS;
      const t0 = performance.now();
      for (let i = 0; i < total; i++) {
        await queue.add('noop', { i });
        await sleep(Math.max(0, t0 + ((i + 1) * 1000) / LOW_RATE - performance.now()));
      }
      await waitCompleted(total);
      return stats(latencies(await completedJobs()));
    },
    /** Jobs added as fast as the producer can while consumers run: latency under saturation. */
    async saturating() {
      await reset();
      await fill(SATURATING_JOBS);
      await waitCompleted(SATURATING_JOBS);
      const list = await completedJobs();
      const first = Math.min(...list.map((j) => j.timestamp));
      const last = Math.max(...list.map((j) => j.finishedOn));
      return { latency: stats(latencies(list)), rate: SATURATING_JOBS / ((last - first) / 1000) };
    },
  };
}

/** redis-benchmark from the host (through docker-proxy) and inside the Redis container. */
async function redisBenchmark(where, { password, port, container, admin }) {
  const common = ['-a', password, '-t', 'set,lpush', '-n', '100000', '-q'];
  const { stdout } =
    where === 'host'
      ? await run('redis-benchmark', ['-p', String(port), ...common])
      : await run('docker', ['exec', container, 'redis-benchmark', '-p', '6379', ...common]);
  const rps = {};
  for (const [, name, value] of stdout.matchAll(/^(SET|LPUSH): ([\d.]+) requests/gm)) {
    rps[name.toLowerCase()] = Number(value);
  }
  await admin.del('key:__rand_int__', 'mylist');
  return rps;
}

async function benchmark() {
  const rounds = arg('--rounds', 3);
  const jobs = arg('--jobs', 20_000);
  const work = await fs.mkdtemp(path.join(os.tmpdir(), 'ghbench-jobs-'));
  const cluster = 'ghbenchjobs';
  const port = await freePort(26_400);
  const env = {
    ...process.env,
    GUILDHALL_HOME: work,
    GUILDHALL_REDIS_IMAGE: process.env.GUILDHALL_REDIS_IMAGE ?? 'guildhall-offline/redis:bookworm',
    GUILDHALL_WORKER_BASE_IMAGE:
      process.env.GUILDHALL_WORKER_BASE_IMAGE ?? 'guildhall-offline/node:bookworm',
  };
  const settings = {
    cluster: {
      name: cluster,
      redis: { port },
      workers: { replicas: WORKERS, concurrency: CONCURRENCY },
    },
  };
  await fs.writeFile(path.join(work, 'settings.json'), JSON.stringify(settings));
  const log = (line) => process.stderr.write(`${line}\n`);
  const workerNames = Array.from({ length: WORKERS }, (_, i) => `${cluster}-worker-${i + 1}`);

  const groups = {};
  let queue;
  let admin;
  try {
    await spawnCli(['up'], env);
    const url = (await run(process.execPath, [cli, 'connect'], { env })).stdout.trim();
    const connection = connectionFromUrl(url);
    queue = new Queue(QUEUE, { connection });
    queue.on('error', () => {});
    admin = new Redis(connection);
    admin.on('error', () => {});
    const common = { count: WORKERS, url, concurrency: CONCURRENCY };
    groups.bare = bareWorkers({ ...common, queue: QUEUE });
    groups.program = await hostWorkerPrograms({ ...common, cluster, workDir: work });
    const { stdout: workerInfo } = await run('docker', [
      'inspect',
      '-f',
      '{{.Config.Image}}, NanoCpus {{.HostConfig.NanoCpus}}, Memory {{.HostConfig.Memory}}',
      workerNames[0],
    ]);
    const proxyPids = await dockerProxyPids(port);
    const total = (values) => values.reduce((a, b) => a + b, 0);
    const hostCpu = (group) => async () => total(await Promise.all(group.pids().map(processCpuMs)));
    const meters = {
      cluster: costMeter({
        redis: admin,
        proxyPids,
        consumers: async () => total(await Promise.all(workerNames.map(containerCpuMs))),
      }),
      program: costMeter({ redis: admin, proxyPids, consumers: hostCpu(groups.program) }),
      bare: costMeter({ redis: admin, proxyPids, consumers: hostCpu(groups.bare) }),
    };
    const stopHostGroups = () => Promise.all([groups.bare.stop(), groups.program.stop()]);
    const activate = async (variant) => {
      if (variant === 'cluster') {
        await stopHostGroups();
        await spawnCli(['scale', String(WORKERS)], env);
        return;
      }
      await spawnCli(['scale', '0'], env);
      await stopHostGroups();
      await groups[variant].start();
    };
    const measure = measurements(queue, jobs);
    const hasBench = (await run('sh', ['-c', 'command -v redis-benchmark || true'])).stdout.trim();
    const keys = ['rate', 'consumerMs', 'proxyMs', 'redisMs', 'calls'];
    const moreKeys = ['cpuPerJob', 'p50low', 'p99low', 'p50sat', 'p99sat', 'satRate'];
    const results = Object.fromEntries(
      VARIANTS.map((v) => [v, Object.fromEntries([...keys, ...moreKeys].map((k) => [k, []]))]),
    );
    const pairedRatios = [];
    const redisCeiling = { host: { set: [], lpush: [] }, container: { set: [], lpush: [] } };
    const loads = [];

    for (let round = 0; round < rounds; round++) {
      const order = round % 2 === 0 ? VARIANTS : [...VARIANTS].reverse();
      for (const variant of order) {
        await activate(variant);
        await measure.warmUp();
        loads.push(os.loadavg()[0]);
        const r = results[variant];
        const drain = await measure.drain(meters[variant]);
        for (const key of keys) r[key].push(drain[key]);
        // Everything a job costs on this machine: consumers, docker-proxy and Redis.
        r.cpuPerJob.push(drain.consumerMs + drain.proxyMs + drain.redisMs);
        const low = await measure.lowLoad();
        r.p50low.push(low.median);
        r.p99low.push(low.p99);
        const sat = await measure.saturating();
        r.p50sat.push(sat.latency.median);
        r.p99sat.push(sat.latency.p99);
        r.satRate.push(sat.rate);
        log(
          `round ${round + 1}/${rounds} ${variant}: drain ${drain.rate.toFixed(0)} jobs/s ` +
            `(per 1000 jobs: consumers ${drain.consumerMs.toFixed(0)} ms CPU, docker-proxy ` +
            `${drain.proxyMs.toFixed(0)} ms, Redis ${drain.redisMs.toFixed(0)} ms; ` +
            `${drain.calls.toFixed(1)} Redis commands/job); latency low p50 ${low.median} ` +
            `p99 ${low.p99} ms; saturating p50 ${sat.latency.median} p99 ${sat.latency.p99} ms ` +
            `at ${sat.rate.toFixed(0)} jobs/s; load ${os.loadavg()[0].toFixed(1)}`,
        );
      }
      pairedRatios.push(results.cluster.rate.at(-1) / results.bare.rate.at(-1));
      // Nothing consumes while Redis itself is measured.
      await spawnCli(['scale', '0'], env);
      await stopHostGroups();
      const target = {
        password: connection.password,
        port,
        container: `${cluster}-redis-1`,
        admin,
      };
      for (const where of hasBench ? ['host', 'container'] : ['container']) {
        const rps = await redisBenchmark(where, target);
        for (const [name, value] of Object.entries(rps)) redisCeiling[where][name].push(value);
        log(`round ${round + 1}/${rounds} redis-benchmark (${where}): ${JSON.stringify(rps)}`);
      }
    }

    const m = await machine();
    const markdown = jobThroughputReport({
      constants: {
        queue: QUEUE,
        workers: WORKERS,
        concurrency: CONCURRENCY,
        warmUp: WARM_UP_JOBS,
        saturating: SATURATING_JOBS,
        lowRate: LOW_RATE,
        lowSeconds: LOW_SECONDS,
      },
      results,
      pairedRatios,
      redisCeiling,
      loads,
      m,
      rounds,
      jobs,
      hasBench,
      workerInfo: workerInfo.trim(),
    });
    await writeReportSection('job-throughput', markdown);
    process.stdout.write(markdown);
  } finally {
    Object.values(groups).forEach((group) => group.kill());
    await queue?.close().catch(() => {});
    admin?.disconnect();
    await spawnCli(['down', '--volumes'], env).catch((err) => log(`down failed: ${err.message}`));
    await fs.rm(work, { recursive: true, force: true });
  }
}
