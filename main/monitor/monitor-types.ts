/** What the monitors report: host and container samples, ticks and history snapshots. */

/** Things about the host that do not change while the app runs; read once. */
export interface HostBasics {
  /** Logical CPUs (what CPU % per core is reported for). */
  cores: number;
  physicalCores: number;
  cpuModel: string;
  totalMemoryBytes: number;
  platform: string;
  /** e.g. "Ubuntu 24.04", "macOS 15.1", "Windows 11 Pro". */
  os: string;
  arch: string;
}

export interface HostSample {
  at: number;
  cpu: {
    /** Whole-machine load, 0–100. */
    totalPercent: number;
    /** One entry per logical CPU, 0–100 each. */
    perCorePercent: number[];
  };
  memory: {
    /** Memory in use by programs (total − available); page cache does not count. */
    usedBytes: number;
    totalBytes: number;
    availableBytes: number;
  };
}

export interface DiskSample {
  at: number;
  /** The folder asked about (the engine's data root, or "/"). */
  path: string;
  /** The mount point of the filesystem holding it. */
  mount: string;
  filesystem: string;
  totalBytes: number;
  usedBytes: number;
  freeBytes: number;
}

export interface HostTick {
  at: number;
  sample: HostSample;
  /** The latest disk reading (refreshed every 30–60 s); null until the first one. */
  disk: DiskSample | null;
}

export interface HostProcess {
  pid: number;
  name: string;
  /** The executable, without its arguments (arguments may hold secrets). */
  command: string;
  user: string;
  cpuPercent: number;
  memoryPercent: number;
  memoryBytes: number;
}

export interface HostHistory {
  basics: HostBasics | null;
  samples: HostSample[];
  disk: DiskSample | null;
}

/** Latest view of one of the cluster's containers. */
export interface ContainerSample {
  id: string;
  name: string;
  /** From the io.guildhall.service label; null for containers without it. */
  service: string | null;
  number: number | null;
  /** Engine state: created, running, restarting, paused, exited, dead, removing. */
  state: string;
  restartCount: number;
  /** Exit code of the last run; null while it has never exited. */
  exitCode: number | null;
  oomKilled: boolean;
  /** Percent of one core, as `docker stats` shows it. Null until two readings exist or when not running. */
  cpuPercent: number | null;
  memoryBytes: number | null;
  memoryLimitBytes: number | null;
  networkRxBytes: number | null;
  networkTxBytes: number | null;
  networkRxBytesPerSec: number | null;
  networkTxBytesPerSec: number | null;
  /** When the engine read the latest stats (epoch ms); null without stats. */
  sampledAt: number | null;
}

export interface ContainersTick {
  at: number;
  containers: ContainerSample[];
  /** Why the last container list refresh failed (engine stopped…); absent when it worked. */
  error?: string;
}

export interface ContainerPoint {
  at: number;
  cpuPercent: number | null;
  memoryBytes: number | null;
  networkRxBytesPerSec: number | null;
  networkTxBytesPerSec: number | null;
}

export interface ContainerHistory {
  id: string;
  name: string;
  service: string | null;
  points: ContainerPoint[];
}

export interface MonitorTick {
  at: number;
  host: HostTick | null;
  containers: ContainersTick;
}

/** Points kept per series by default: 5 minutes at one per second. */
export const DEFAULT_HISTORY_LENGTH = 300;
export const DEFAULT_TICK_MS = 1_000;
export const DEFAULT_DISK_INTERVAL_MS = 30_000;
