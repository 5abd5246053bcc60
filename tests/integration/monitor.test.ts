/**
 * The monitor against a real engine: throwaway containers labelled as a cluster's workers (one
 * busy-looping under a CPU limit, one idle), real stats streams, real host metrics.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import Dockerode from 'dockerode';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LABEL } from '../../main/cluster/naming';
import {
  cpuPercent,
  memoryLimitBytes,
  memoryUsedBytes,
  parseContainerStats,
} from '../../main/monitor/container-stats';
import { ClusterContainers } from '../../main/cluster/containers';
import { ContainerMonitor } from '../../main/monitor/container-monitor';
import { HostMonitor } from '../../main/monitor/host-monitor';
import { Monitor } from '../../main/monitor/monitor';
import type { ContainersTick, HostTick, MonitorTick } from '../../main/monitor/monitor-types';
import { OFFLINE_NODE_IMAGE } from './global-setup';

const docker = new Dockerode({ socketPath: '/var/run/docker.sock' });
const image = process.env.GUILDHALL_WORKER_BASE_IMAGE ?? OFFLINE_NODE_IMAGE;
const repoRoot = path.resolve(import.meta.dirname, '..', '..');
const prefix = `ghmon-${randomBytes(3).toString('hex')}`;
const cluster = prefix;
const crashCluster = `${prefix}-crash`;

const BUSY = ['node', '-e', 'for(;;){}'];
const IDLE = ['node', '-e', 'setInterval(() => {}, 1e6)'];

async function startWorker(
  clusterName: string,
  number: number,
  cmd: string[],
  hostConfig: Dockerode.HostConfig = {},
): Promise<Dockerode.Container> {
  const container = await docker.createContainer({
    name: `${clusterName}-worker-${number}`,
    Image: image,
    Cmd: cmd,
    Labels: {
      [LABEL.managed]: 'true',
      [LABEL.cluster]: clusterName,
      [LABEL.service]: 'worker',
      [LABEL.number]: String(number),
    },
    HostConfig: { Init: true, ...hostConfig },
  });
  await container.start();
  return container;
}

async function removeCluster(clusterName: string): Promise<void> {
  const list = await docker.listContainers({
    all: true,
    filters: { label: [`${LABEL.cluster}=${clusterName}`] },
  });
  await Promise.all(
    list.map((c) =>
      docker
        .getContainer(c.Id)
        .remove({ force: true })
        .catch(() => undefined),
    ),
  );
}

/** Resolves with the first tick the predicate accepts; rejects after timeoutMs. */
function waitForTick<T>(
  subscribe: (cb: (tick: T) => void) => () => void,
  predicate: (tick: T) => boolean,
  timeoutMs: number,
  what: string,
): Promise<T> {
  return new Promise((resolve, reject) => {
    let last: T | undefined;
    const off = subscribe((tick) => {
      last = tick;
      if (!predicate(tick)) return;
      clearTimeout(timer);
      off();
      resolve(tick);
    });
    const timer = setTimeout(() => {
      off();
      reject(
        new Error(
          `No tick within ${timeoutMs} ms where ${what}. Last tick: ${JSON.stringify(last)}`,
        ),
      );
    }, timeoutMs);
  });
}

let busy: Dockerode.Container;
let idle: Dockerode.Container;

beforeAll(async () => {
  busy = await startWorker(cluster, 1, BUSY, { NanoCpus: 500_000_000 });
  idle = await startWorker(cluster, 2, IDLE);
});

afterAll(async () => {
  await removeCluster(cluster);
  await removeCluster(crashCluster);
});

describe('container stats from the engine', () => {
  it('computes docker-stats numbers from a sample captured from real containers', async () => {
    // A one-shot sample (stream=false) carries the engine's previous reading in precpu_stats.
    const [busyRaw, idleRaw] = await Promise.all([
      busy.stats({ stream: false }),
      idle.stats({ stream: false }),
    ]);
    const busySample = parseContainerStats(busyRaw);
    const idleSample = parseContainerStats(idleRaw);
    expect(busySample).not.toBeNull();
    expect(idleSample).not.toBeNull();

    // Limited to half a core: about 50 % of one core, never much more.
    const busyCpu = cpuPercent(busySample!);
    expect(busyCpu).not.toBeNull();
    expect(busyCpu!).toBeGreaterThan(20);
    expect(busyCpu!).toBeLessThan(65);
    expect(cpuPercent(idleSample!)!).toBeLessThan(5);

    // The same arithmetic by hand on the raw JSON, so the parser cannot hide a field.
    const raw = busyRaw as unknown as {
      cpu_stats: {
        cpu_usage: { total_usage: number };
        system_cpu_usage: number;
        online_cpus: number;
      };
      precpu_stats: { cpu_usage: { total_usage: number }; system_cpu_usage: number };
      memory_stats: { usage: number; limit: number; stats: Record<string, number> };
    };
    const expected =
      ((raw.cpu_stats.cpu_usage.total_usage - raw.precpu_stats.cpu_usage.total_usage) /
        (raw.cpu_stats.system_cpu_usage - raw.precpu_stats.system_cpu_usage)) *
      raw.cpu_stats.online_cpus *
      100;
    expect(busyCpu).toBeCloseTo(expected, 6);

    const memory = memoryUsedBytes(busySample!);
    expect(memory).not.toBeNull();
    // A node process holds at least a few MB, and never more than the cgroup's raw usage.
    expect(memory!).toBeGreaterThan(2 * 1024 * 1024);
    expect(memory!).toBeLessThanOrEqual(raw.memory_stats.usage);
    const reclaimable =
      raw.memory_stats.stats.total_inactive_file ?? raw.memory_stats.stats.inactive_file ?? 0;
    expect(memory).toBe(raw.memory_stats.usage - reclaimable);
    expect(memoryLimitBytes(busySample!)).toBe(raw.memory_stats.limit);
  });
});

describe('ContainerMonitor', () => {
  it('follows the cluster: CPU and memory per container, containers coming and going', async () => {
    const monitor = new ContainerMonitor({
      containers: new ClusterContainers(docker, cluster),
      intervalMs: 1_000,
      historyLength: 5,
    });
    const ticks: ContainersTick[] = [];
    monitor.onTick((tick) => ticks.push(tick));
    const subscribe = (cb: (tick: ContainersTick) => void) => monitor.onTick(cb);
    expect(ticks).toHaveLength(0);
    try {
      await monitor.start();
      const startedAt = Date.now();

      // Busy and idle both measured (CPU needs two readings of the stream).
      const measured = await waitForTick(
        subscribe,
        (tick) =>
          tick.containers.length === 2 &&
          tick.containers.every((c) => c.cpuPercent !== null && c.memoryBytes !== null),
        15_000,
        'both containers have CPU and memory',
      );
      // Let the busy loop's share settle over a few more readings.
      await new Promise((r) => setTimeout(r, 3_000));
      const tick = monitor.latest();
      const byName = new Map(tick.containers.map((c) => [c.name, c]));
      const b = byName.get(`${cluster}-worker-1`)!;
      const i = byName.get(`${cluster}-worker-2`)!;
      expect(measured.containers.map((c) => c.number)).toEqual([1, 2]);
      expect(b.service).toBe('worker');
      expect(b.state).toBe('running');
      expect(b.restartCount).toBe(0);
      expect(b.exitCode).toBeNull();
      expect(b.cpuPercent!).toBeGreaterThan(20);
      expect(b.cpuPercent!).toBeLessThan(65);
      expect(i.cpuPercent!).toBeLessThan(5);
      expect(b.cpuPercent! - i.cpuPercent!).toBeGreaterThan(15);
      for (const c of [b, i]) {
        expect(c.memoryBytes!).toBeGreaterThan(0);
        expect(c.memoryLimitBytes!).toBeGreaterThanOrEqual(c.memoryBytes!);
        expect(c.networkRxBytes).not.toBeNull();
        expect(c.sampledAt!).toBeGreaterThan(startedAt - 5_000);
      }

      // About one tick per second.
      const elapsed = (Date.now() - startedAt) / 1000;
      expect(ticks.length).toBeGreaterThanOrEqual(Math.floor(elapsed) - 2);
      expect(ticks.length).toBeLessThanOrEqual(Math.ceil(elapsed) + 1);

      // A third container started mid-run shows up.
      await startWorker(cluster, 3, IDLE);
      const withThird = await waitForTick(
        subscribe,
        (t) =>
          t.containers.some(
            (c) => c.number === 3 && c.state === 'running' && c.memoryBytes !== null,
          ),
        10_000,
        'the third container appears with stats',
      );
      expect(withThird.containers.map((c) => c.number)).toEqual([1, 2, 3]);

      // A removed one disappears.
      await idle.remove({ force: true });
      const withoutIdle = await waitForTick(
        subscribe,
        (t) => !t.containers.some((c) => c.number === 2),
        10_000,
        'the removed container is gone',
      );
      expect(withoutIdle.containers.map((c) => c.number)).toEqual([1, 3]);

      // History: bounded per container, none kept for the removed one.
      const history = monitor.history();
      expect(history.map((h) => h.name)).toEqual([`${cluster}-worker-1`, `${cluster}-worker-3`]);
      const busyHistory = history[0]!.points;
      expect(busyHistory.length).toBe(5);
      expect(busyHistory.every((p, n) => n === 0 || p.at > busyHistory[n - 1]!.at)).toBe(true);
      expect(busyHistory.at(-1)!.cpuPercent!).toBeGreaterThan(20);
    } finally {
      monitor.stop();
    }
    // Stopped: no more ticks.
    const count = ticks.length;
    await new Promise((r) => setTimeout(r, 1_500));
    expect(ticks.length).toBe(count);
  });

  // (Its crash-loop alert comes from the cluster status: tests/integration/worker-reloads.test.ts.)
  it('reports restarts and exit codes of a crash-looping worker', async () => {
    const monitor = new Monitor({
      containers: new ClusterContainers(docker, crashCluster),
      intervalMs: 500,
    });
    try {
      await monitor.start();
      await startWorker(crashCluster, 1, ['node', '-e', 'setTimeout(() => process.exit(3), 300)'], {
        RestartPolicy: { Name: 'always' },
      });
      const looping = await waitForTick<MonitorTick>(
        (cb) => monitor.subscribe(cb),
        (t) => (t.containers.containers[0]?.restartCount ?? 0) >= 4,
        30_000,
        'the worker restarted 4 times',
      );
      expect(looping.containers.containers[0]!.exitCode).toBe(3);
    } finally {
      monitor.stop();
      await removeCluster(crashCluster);
    }
  });
});

describe('Monitor', () => {
  it('with startOnSubscribe runs only while someone listens, ticking host and containers together', async () => {
    const monitor = new Monitor({
      containers: new ClusterContainers(docker, cluster),
      intervalMs: 500,
      startOnSubscribe: true,
    });
    expect(monitor.isRunning).toBe(false);
    const first = await waitForTick<MonitorTick>(
      (cb) => {
        const off = monitor.subscribe(cb);
        expect(monitor.isRunning).toBe(true);
        return off;
      },
      (t) => t.host !== null && t.containers.containers.some((c) => c.memoryBytes !== null),
      15_000,
      'host and container values are both present',
    );
    // waitForTick unsubscribed its only listener: the monitor stopped with it.
    expect(monitor.isRunning).toBe(false);
    expect(first.host!.sample.memory.totalBytes).toBe(os.totalmem());
    expect(first.containers.containers.every((c) => c.name.startsWith(`${cluster}-worker-`))).toBe(
      true,
    );
    const history = monitor.history();
    expect(history.host.samples.length).toBeGreaterThan(0);
    expect(history.containers.length).toBe(first.containers.containers.length);
  });
});

describe('HostMonitor', () => {
  it('ticks about once a second with plausible values, disk and processes on demand', async () => {
    const monitor = new HostMonitor({ intervalMs: 1_000, diskPath: '/var/lib/docker' });
    const ticks: HostTick[] = [];
    monitor.onTick((tick) => ticks.push(tick));
    const startedAt = Date.now();
    monitor.start();
    try {
      await new Promise((r) => setTimeout(r, 4_500));
    } finally {
      monitor.stop();
    }
    expect(ticks.length).toBeGreaterThanOrEqual(3);
    expect(ticks.length).toBeLessThanOrEqual(5);
    const gaps = ticks.slice(1).map((t, n) => t.at - ticks[n]!.at);
    for (const gap of gaps) {
      expect(gap).toBeGreaterThan(700);
      expect(gap).toBeLessThan(1_600);
    }
    const cores = os.cpus().length;
    for (const { sample } of ticks) {
      expect(sample.at).toBeGreaterThanOrEqual(startedAt);
      expect(sample.cpu.totalPercent).toBeGreaterThanOrEqual(0);
      expect(sample.cpu.totalPercent).toBeLessThanOrEqual(100);
      expect(sample.cpu.perCorePercent).toHaveLength(cores);
      for (const load of sample.cpu.perCorePercent) {
        expect(load).toBeGreaterThanOrEqual(0);
        expect(load).toBeLessThanOrEqual(100);
      }
      expect(sample.memory.totalBytes).toBe(os.totalmem());
      expect(sample.memory.usedBytes).toBeGreaterThan(0);
      expect(sample.memory.usedBytes).toBeLessThanOrEqual(sample.memory.totalBytes);
      expect(sample.memory.availableBytes + sample.memory.usedBytes).toBe(sample.memory.totalBytes);
    }
    // The busy container of this file keeps half a core busy on this host.
    expect(Math.max(...ticks.map((t) => t.sample.cpu.totalPercent))).toBeGreaterThan(0);

    const basics = await monitor.basics();
    expect(basics.cores).toBe(cores);
    expect(basics.totalMemoryBytes).toBe(os.totalmem());
    expect(basics.arch).toBe(os.arch());
    expect(basics.platform).toBe(os.platform());

    const { disk, samples } = monitor.history();
    expect(samples).toHaveLength(ticks.length);
    expect(disk).not.toBeNull();
    const statfs = await fs.statfs('/var/lib/docker');
    expect(disk!.path).toBe('/var/lib/docker');
    expect(disk!.totalBytes).toBeGreaterThan(0);
    // Same filesystem as statfs sees (df rounds to KiB blocks).
    expect(Math.abs(disk!.totalBytes - statfs.blocks * statfs.bsize)).toBeLessThan(1024 * 1024);
    expect(disk!.freeBytes).toBeLessThanOrEqual(disk!.totalBytes);

    const processes = await monitor.processes(500);
    expect(processes.length).toBeGreaterThan(0);
    expect(processes.length).toBeLessThanOrEqual(500);
    const self = processes.find((p) => p.pid === process.pid);
    expect(self?.memoryBytes ?? 0).toBeGreaterThan(0);
  });
});

describe('stop()', () => {
  let bundle: string;
  beforeAll(async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), `${prefix}-`));
    bundle = path.join(dir, 'monitor-exit-child.cjs');
    await build({
      entryPoints: [
        path.join(repoRoot, 'tests', 'integration', 'helpers', 'monitor-exit-child.ts'),
      ],
      bundle: true,
      platform: 'node',
      format: 'cjs',
      target: 'node20',
      packages: 'external',
      // Its paths map the @shared alias to main/shared.
      tsconfig: path.join(repoRoot, 'tsconfig.node.json'),
      outfile: bundle,
      logLevel: 'silent',
    });
  });

  afterAll(async () => {
    await fs.rm(path.dirname(bundle), { recursive: true, force: true });
  });

  /** Runs the child until it reports, then waits up to waitMs for it to exit by itself. */
  async function runChild(mode: 'stop' | 'keep', waitMs: number) {
    const child = spawn(process.execPath, [bundle, cluster, mode], {
      env: { ...process.env, NODE_PATH: path.join(repoRoot, 'node_modules') },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<number | null>((resolve) =>
      child.once('exit', (code) => resolve(code)),
    );
    const report = await new Promise<{ ticks: number; containers: number; running: boolean }>(
      (resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`child never reported: ${stderr}`)),
          30_000,
        );
        child.stdout.on('data', () => {
          const line = stdout.split('\n')[0];
          if (stdout.includes('\n') && line) {
            clearTimeout(timer);
            resolve(JSON.parse(line) as { ticks: number; containers: number; running: boolean });
          }
        });
      },
    );
    const code = await Promise.race([
      exited,
      new Promise<'alive'>((r) => setTimeout(() => r('alive'), waitMs)),
    ]);
    if (code === 'alive') {
      child.kill('SIGKILL');
      await exited;
    }
    return { report, code, stderr };
  }

  it('leaves no timer, stream or socket behind: the process exits by itself', async () => {
    const { report, code, stderr } = await runChild('stop', 3_000);
    expect(stderr).toBe('');
    expect(report.containers).toBeGreaterThan(0);
    expect(report.ticks).toBeGreaterThan(0);
    expect(report.running).toBe(false);
    expect(code).toBe(0);
  });

  it('(control) keeps the process alive while it runs', async () => {
    const { report, code } = await runChild('keep', 3_000);
    expect(report.running).toBe(true);
    expect(code).toBe('alive');
  });
});
