/**
 * Host metrics through systeminformation: CPU and memory every tick, the disk holding the
 * engine's data every 30–60 s, host basics once, process lists only when asked.
 */
import { homedir } from 'node:os';
import * as systeminformation from 'systeminformation';
import { GuildhallError } from '../util/errors';
import { createCpuLoadReader } from './cpu-load';
import { memoryInUse } from './host-usage';
import { Listeners, type Unsubscribe } from './listeners';
import { RingBuffer } from '@shared/ring-buffer';
import {
  DEFAULT_DISK_INTERVAL_MS,
  DEFAULT_HISTORY_LENGTH,
  DEFAULT_TICK_MS,
  type DiskSample,
  type HostBasics,
  type HostHistory,
  type HostProcess,
  type HostSample,
  type HostTick,
} from './monitor-types';

/** The part of systeminformation the host monitor uses (the real module satisfies it). */
export interface SystemInfoSource {
  currentLoad(): Promise<{ currentLoad: number; cpus: { load: number }[] }>;
  mem(): Promise<{ total: number; available: number; active: number }>;
  fsSize(): Promise<
    { fs: string; type: string; mount: string; size: number; used: number; available: number }[]
  >;
  processes(): Promise<{
    list: {
      pid: number;
      name: string;
      command: string;
      user: string;
      cpu: number;
      mem: number;
      memRss: number;
    }[];
  }>;
  cpu(): Promise<{ cores: number; physicalCores: number; manufacturer: string; brand: string }>;
  osInfo(): Promise<{ platform: string; distro: string; release: string; arch: string }>;
}

/**
 * systeminformation, except the CPU load: its currentLoad() spawns a child process per call on
 * Linux, so the load is computed from os.cpus() instead (see cpu-load.ts).
 */
function defaultSystemInfo(): SystemInfoSource {
  return {
    currentLoad: createCpuLoadReader(),
    mem: () => systeminformation.mem(),
    fsSize: () => systeminformation.fsSize(),
    processes: () => systeminformation.processes(),
    cpu: () => systeminformation.cpu(),
    osInfo: () => systeminformation.osInfo(),
  };
}

export interface HostMonitorOptions {
  si?: SystemInfoSource;
  /** CPU/memory sampling and tick period (default 1000 ms). */
  intervalMs?: number;
  /** Disk reading period (default 30 s). */
  diskIntervalMs?: number;
  /** Folder whose filesystem the disk reading reports (e.g. the engine's data root); "/" if unset or unknown. */
  diskPath?: string | (() => Promise<string | undefined>);
  historyLength?: number;
}

const clampPercent = (value: number): number =>
  Number.isFinite(value) ? Math.min(100, Math.max(0, value)) : 0;

export class HostMonitor {
  private readonly si: SystemInfoSource;
  private readonly intervalMs: number;
  private readonly diskIntervalMs: number;
  private readonly diskPath: HostMonitorOptions['diskPath'];
  private readonly samples: RingBuffer<HostSample>;
  private readonly ticks = new Listeners<HostTick>();
  private basicsValue: HostBasics | null = null;
  private disk: DiskSample | null = null;
  private tickTimer: NodeJS.Timeout | null = null;
  private diskTimer: NodeJS.Timeout | null = null;
  private sampling = false;
  private readingDisk = false;
  private running = false;

  constructor(options: HostMonitorOptions = {}) {
    this.si = options.si ?? defaultSystemInfo();
    this.intervalMs = options.intervalMs ?? DEFAULT_TICK_MS;
    this.diskIntervalMs = options.diskIntervalMs ?? DEFAULT_DISK_INTERVAL_MS;
    this.diskPath = options.diskPath;
    this.samples = new RingBuffer<HostSample>(options.historyLength ?? DEFAULT_HISTORY_LENGTH);
  }

  get isRunning(): boolean {
    return this.running;
  }

  /** Starts sampling; the first tick comes after about one interval. Idempotent. */
  start(): void {
    if (this.running) return;
    this.running = true;
    // basics() tries again on demand when this first read fails.
    void this.loadBasics().catch(() => undefined);
    // Primes systeminformation's CPU counters so the first tick's load covers one interval.
    void this.si.currentLoad().catch(() => undefined);
    void this.readDisk();
    this.tickTimer = setInterval(() => void this.sample(), this.intervalMs);
    this.diskTimer = setInterval(() => void this.readDisk(), this.diskIntervalMs);
  }

  /** Stops every timer. Samples in flight finish but no longer emit. History is kept. */
  stop(): void {
    this.running = false;
    if (this.tickTimer) clearInterval(this.tickTimer);
    if (this.diskTimer) clearInterval(this.diskTimer);
    this.tickTimer = null;
    this.diskTimer = null;
  }

  onTick(callback: (tick: HostTick) => void): Unsubscribe {
    return this.ticks.subscribe(callback);
  }

  latest(): HostTick | null {
    const sample = this.samples.latest();
    return sample ? { at: sample.at, sample, disk: this.disk } : null;
  }

  history(): HostHistory {
    return { basics: this.basicsValue, samples: this.samples.toArray(), disk: this.disk };
  }

  /** Host basics (read once and cached). */
  async basics(): Promise<HostBasics> {
    try {
      return this.basicsValue ?? (await this.loadBasics());
    } catch (err) {
      throw hostReadError('the CPU and system details', err);
    }
  }

  /** The busiest processes on the host right now, by CPU then memory. Runs only when called. */
  async processes(limit = 20): Promise<HostProcess[]> {
    let list: Awaited<ReturnType<SystemInfoSource['processes']>>['list'];
    try {
      ({ list } = await this.si.processes());
    } catch (err) {
      throw hostReadError('the process list', err);
    }
    return list
      .map((p) => ({
        pid: p.pid,
        name: p.name,
        command: p.command,
        user: p.user,
        cpuPercent: Number.isFinite(p.cpu) ? p.cpu : 0,
        memoryPercent: Number.isFinite(p.mem) ? p.mem : 0,
        // systeminformation reports resident memory in KiB.
        memoryBytes: (p.memRss || 0) * 1024,
      }))
      .sort((a, b) => b.cpuPercent - a.cpuPercent || b.memoryBytes - a.memoryBytes)
      .slice(0, Math.max(0, limit));
  }

  private async loadBasics(): Promise<HostBasics> {
    const [cpu, mem, os] = await Promise.all([this.si.cpu(), this.si.mem(), this.si.osInfo()]);
    const basics: HostBasics = {
      cores: cpu.cores,
      physicalCores: cpu.physicalCores,
      cpuModel: [cpu.manufacturer, cpu.brand].filter(Boolean).join(' '),
      totalMemoryBytes: mem.total,
      platform: os.platform,
      os: [os.distro, os.release].filter(Boolean).join(' '),
      arch: os.arch,
    };
    this.basicsValue = basics;
    return basics;
  }

  private async sample(): Promise<void> {
    // A slow read (loaded machine) skips a tick rather than piling reads up.
    if (this.sampling) return;
    this.sampling = true;
    try {
      const [load, mem] = await Promise.all([this.si.currentLoad(), this.si.mem()]);
      if (!this.running) return;
      const memory = memoryInUse(mem);
      const sample: HostSample = {
        at: Date.now(),
        cpu: {
          totalPercent: clampPercent(load.currentLoad),
          perCorePercent: load.cpus.map((c) => clampPercent(c.load)),
        },
        memory,
      };
      this.samples.push(sample);
      this.ticks.emit({ at: sample.at, sample, disk: this.disk });
    } catch {
      // systeminformation failed to read this time; the next tick tries again.
    } finally {
      this.sampling = false;
    }
  }

  private async readDisk(): Promise<void> {
    if (this.readingDisk) return;
    this.readingDisk = true;
    try {
      const path = (await this.resolveDiskPath()) ?? '/';
      const filesystems = await this.si.fsSize();
      if (!this.running) return;
      // The data root may live inside a VM (Docker Desktop): then the host's root, or on
      // Windows the drive of the user's home, is what fills up.
      const fs =
        filesystemFor(path, filesystems) ??
        filesystemFor('/', filesystems) ??
        filesystemFor(homedir(), filesystems);
      if (!fs) return;
      this.disk = {
        at: Date.now(),
        path,
        mount: fs.mount,
        filesystem: fs.fs,
        totalBytes: fs.size,
        usedBytes: fs.used,
        freeBytes: fs.available,
      };
    } catch {
      // Keep the previous reading; disks change slowly.
    } finally {
      this.readingDisk = false;
    }
  }

  private async resolveDiskPath(): Promise<string | undefined> {
    if (typeof this.diskPath === 'function') {
      try {
        return await this.diskPath();
      } catch {
        return undefined;
      }
    }
    return this.diskPath;
  }
}

function hostReadError(what: string, err: unknown): GuildhallError {
  const reason = err instanceof Error ? err.message : String(err);
  return new GuildhallError(
    'internal',
    `Could not read ${what} of this computer: ${reason}`,
    'Try again; if it keeps failing, the system tools Guildhall asks (ps, /proc, WMI) may be blocked.',
  );
}

/** The filesystem whose mount point is the longest prefix of `path` (overlay mounts excluded). */
export function filesystemFor<T extends { mount: string; type?: string; fs: string }>(
  path: string,
  filesystems: readonly T[],
): T | undefined {
  const normalized = path.replace(/\\/g, '/').toLowerCase();
  let best: T | undefined;
  for (const fs of filesystems) {
    if (fs.type === 'overlay' || fs.fs === 'overlay') continue;
    const mount = fs.mount.replace(/\\/g, '/').toLowerCase().replace(/\/+$/, '');
    const matches = mount === '' || normalized === mount || normalized.startsWith(`${mount}/`);
    if (matches && (!best || mount.length > best.mount.replace(/\/+$/, '').length)) best = fs;
  }
  return best;
}
