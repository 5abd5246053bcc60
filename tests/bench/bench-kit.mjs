// Helpers for the scale, recovery, overhead, pools, supervisor and autoscale benchmarks: a
// dedicated Guildhall home with its settings, the cluster's Redis URL, heartbeat counting, the
// console (`guildhall console`) started and its token read, /proc CPU and memory readings over a
// window, and the "**value** (goal ≤ target)" lines that report.mjs reads back.
import { execFile, spawn } from 'node:child_process';
import fs from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { cli, sleep } from './lib.mjs';

const execFileAsync = promisify(execFile);

export const redisImage = process.env.GUILDHALL_REDIS_IMAGE ?? 'guildhall-offline/redis:bookworm';
export const baseImage =
  process.env.GUILDHALL_WORKER_BASE_IMAGE ?? 'guildhall-offline/node:bookworm';

export function arg(name, fallback) {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1]) || fallback : fallback;
}

/** A Guildhall home (settings folder) for one benchmark cluster; `env` runs the CLI against it. */
export async function benchHome(prefix, cluster) {
  const home = await fs.mkdtemp(path.join(os.tmpdir(), `${prefix}-`));
  await fs.writeFile(
    path.join(home, 'settings.json'),
    JSON.stringify({
      cluster: {
        name: cluster.name,
        redis: { port: cluster.port },
        workers: {
          replicas: cluster.workers,
          memoryMb: cluster.memoryMb ?? 256,
          concurrency: cluster.concurrency ?? 10,
          stopTimeoutSeconds: cluster.stopTimeoutSeconds ?? 10,
        },
      },
    }),
  );
  const env = {
    ...process.env,
    GUILDHALL_HOME: home,
    GUILDHALL_REDIS_IMAGE: redisImage,
    GUILDHALL_WORKER_BASE_IMAGE: baseImage,
  };
  return { home, env, remove: () => fs.rm(home, { recursive: true, force: true }) };
}

/** Runs the built CLI; resolves with stdout, rejects with stderr on a non-zero exit. */
export function cliOutput(args, env) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cli, ...args], {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) =>
      code === 0
        ? resolve(stdout)
        : reject(new Error(`guildhall ${args.join(' ')} exited ${code}: ${stderr}`)),
    );
  });
}

/** Host, port and password of the cluster's Redis, from `guildhall connect`. */
export async function redisConnection(env) {
  const url = new URL((await cliOutput(['connect'], env)).trim());
  return { host: url.hostname, port: Number(url.port), password: decodeURIComponent(url.password) };
}

/** Live heartbeats of a cluster (keys guildhall:<cluster>:heartbeat:*), parsed. */
export async function liveHeartbeats(redis, cluster) {
  const keys = [];
  let cursor = '0';
  do {
    const [next, batch] = await redis.scan(
      cursor,
      'MATCH',
      `guildhall:${cluster}:heartbeat:*`,
      'COUNT',
      1000,
    );
    cursor = next;
    keys.push(...batch);
  } while (cursor !== '0');
  if (keys.length === 0) return [];
  const values = await redis.mget(...keys);
  return values.filter(Boolean).map((v) => JSON.parse(v));
}

/** Polls until `count` heartbeats started after `since` are live; returns that moment. */
export async function waitRegistered(redis, cluster, count, since, timeoutMs = 120_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      const beats = await liveHeartbeats(redis, cluster);
      if (beats.filter((b) => b.startedAt >= since).length >= count) return performance.now();
    } catch {
      // Redis busy or restarting: try again
    }
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`${count} workers of ${cluster} did not register within ${timeoutMs} ms`);
}

/** Names of containers (all states) whose name starts with `prefix`. */
export async function containersNamed(prefix) {
  const { stdout } = await execFileAsync('docker', [
    'ps',
    '-a',
    '--filter',
    `name=${prefix}`,
    '--format',
    '{{.Names}}',
  ]);
  return stdout.split('\n').filter((n) => n.startsWith(prefix));
}

const CLOCK_TICKS = 100; // getconf CLK_TCK on Linux

/** CPU seconds (user + system) a process has used so far, from /proc/<pid>/stat. */
export async function cpuSeconds(pid) {
  const stat = await fs.readFile(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name (which may contain spaces) start after the last ')'.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
}

/** CPU % of one core used by each pid in `pids` over `ms` (utime + stime deltas from /proc). */
export async function cpuPercentOver(pids, ms) {
  const read = () => Promise.all(pids.map((pid) => cpuSeconds(pid)));
  const [c0, t0] = [await read(), performance.now()];
  await sleep(ms);
  const [c1, t1] = [await read(), performance.now()];
  const elapsed = (t1 - t0) / 1000;
  return c1.map((c, i) => ((c - c0[i]) / elapsed) * 100);
}

/**
 * Starts `guildhall console --port 0` (the built CLI) with `env` and waits for its token URL.
 * `nodeArgs` go before the CLI (e.g. --cpu-prof). Returns the child, the origin, the token, a
 * WebSocket URL for clients, the output so far, and stop() (SIGINT, resolves on exit).
 */
export async function startConsole(env, nodeArgs = []) {
  const child = spawn(process.execPath, [...nodeArgs, cli, 'console', '--port', '0'], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (d) => (output += d));
  child.stderr.on('data', (d) => (output += d));
  const deadline = Date.now() + 30_000;
  let match;
  while (!(match = /(http:\/\/127\.0\.0\.1:\d+)\/\?token=([A-Za-z0-9_-]+)/.exec(output))) {
    if (child.exitCode !== null || Date.now() > deadline)
      throw new Error(`console did not start:\n${output}`);
    await sleep(50);
  }
  const [, origin, token] = match;
  return {
    child,
    origin,
    token,
    wsUrl: `${origin.replace(/^http/, 'ws')}/ws?token=${token}`,
    output: () => output,
    stop: () => {
      if (child.exitCode !== null) return Promise.resolve();
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGINT');
      return exited;
    },
  };
}

/**
 * Starts `guildhall supervise` (the built CLI) with `env` and waits until it holds the lease.
 * Returns the child, the output so far and stop() (SIGTERM, resolves on exit).
 */
export async function startSupervisor(env) {
  const child = spawn(process.execPath, [cli, 'supervise'], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (d) => (output += d));
  child.stderr.on('data', (d) => (output += d));
  const stop = () => {
    if (child.exitCode !== null) return Promise.resolve();
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    return exited;
  };
  const deadline = Date.now() + 30_000;
  while (!/acquire/.test(output)) {
    if (child.exitCode !== null || Date.now() > deadline) {
      await stop();
      throw new Error(`supervise did not take the lease:\n${output}`);
    }
    await sleep(100);
  }
  return { child, output: () => output, stop };
}

/** VmRSS and VmHWM (peak RSS) of a process in MB, from /proc/<pid>/status. */
export async function memoryMb(pid) {
  const status = await fs.readFile(`/proc/${pid}/status`, 'utf8');
  const kb = (name) => Number(new RegExp(`^${name}:\\s+(\\d+)`, 'm').exec(status)?.[1] ?? NaN);
  return { rss: kb('VmRSS') / 1024, hwm: kb('VmHWM') / 1024 };
}

/** 1-minute load average, for the context line of a result. */
export function loadAverage() {
  return os.loadavg()[0].toFixed(1);
}

/** "**3.10 s** (goal ≤ 5 s)" — the shape report.mjs looks for. */
export function goal(value, unit, op, target) {
  return `**${value}${unit}** (goal ${op} ${target}${unit})`;
}

export const sec = (ms) => `${(ms / 1000).toFixed(2)} s`;
export const row = (label, s, format) =>
  `| ${label} | ${format(s.median)} | ${format(s.min)} | ${format(s.max)} |`;

/** A port free on 127.0.0.1 now, from a random start (benchmarks of other runs may hold theirs). */
export async function freePort() {
  for (let attempt = 0; attempt < 50; attempt++) {
    const port = 27000 + Math.floor(Math.random() * 3000);
    const free = await new Promise((resolve) => {
      const server = net.createServer();
      server.once('error', () => resolve(false));
      server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
    });
    if (free) return port;
  }
  throw new Error('no free port found between 27000 and 30000');
}
