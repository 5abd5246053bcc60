/**
 * The dashboard's data source: host metrics and the cluster's container stats, one combined
 * tick per interval, and history snapshots. (Crash-loop alerts come from the cluster status,
 * which tells planned reloads from crashes: see alerts.ts.)
 *
 *   const monitor = new Monitor({ containers: await core.cluster.containers() });
 *   const off = monitor.subscribe((tick) => render(tick));
 *   await monitor.start();
 *   …
 *   off(); monitor.stop();
 */
import type { ClusterContainers } from '../cluster/containers';
import { ContainerMonitor } from './container-monitor';
import { HostMonitor, type SystemInfoSource } from './host-monitor';
import { Listeners, type Unsubscribe } from './listeners';
import {
  DEFAULT_TICK_MS,
  type ContainerHistory,
  type HostHistory,
  type HostProcess,
  type MonitorTick,
} from './monitor-types';

export interface MonitorOptions {
  /** The cluster's containers (on one engine connection). */
  containers: ClusterContainers;
  si?: SystemInfoSource;
  /** Tick period for host, containers and the combined tick (default 1000 ms). */
  intervalMs?: number;
  diskIntervalMs?: number;
  historyLength?: number;
  /** Folder whose disk is reported; default: the engine's data root (DockerRootDir), else "/". */
  dataRoot?: string;
  /**
   * Start on the first subscriber and stop after the last one leaves, so nothing samples while
   * nobody looks (default false: `start()`/`stop()` are called explicitly).
   */
  startOnSubscribe?: boolean;
}

export interface MonitorHistory {
  host: HostHistory;
  containers: ContainerHistory[];
}

export class Monitor {
  readonly host: HostMonitor;
  readonly containers: ContainerMonitor;
  private readonly intervalMs: number;
  private readonly startOnSubscribe: boolean;
  private readonly ticks = new Listeners<MonitorTick>();
  private timer: NodeJS.Timeout | null = null;
  private running = false;

  constructor(options: MonitorOptions) {
    const { containers } = options;
    this.intervalMs = options.intervalMs ?? DEFAULT_TICK_MS;
    this.startOnSubscribe = options.startOnSubscribe ?? false;
    this.host = new HostMonitor({
      si: options.si,
      intervalMs: this.intervalMs,
      diskIntervalMs: options.diskIntervalMs,
      historyLength: options.historyLength,
      diskPath: options.dataRoot ?? (async () => (await containers.engineFacts())?.DockerRootDir),
    });
    this.containers = new ContainerMonitor({
      containers,
      intervalMs: this.intervalMs,
      historyLength: options.historyLength,
    });
  }

  get isRunning(): boolean {
    return this.running;
  }

  /** Starts host and container monitoring; resolves once the container list was first read. */
  async start(): Promise<void> {
    if (this.running) return;
    this.running = true;
    this.host.start();
    this.timer = setInterval(() => this.ticks.emit(this.latest()), this.intervalMs);
    await this.containers.start();
  }

  /** Stops every timer and stream; the process can exit afterwards. History stays readable. */
  stop(): void {
    this.running = false;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.host.stop();
    this.containers.stop();
  }

  /** Calls back once per interval with the latest host and container values. */
  subscribe(callback: (tick: MonitorTick) => void): Unsubscribe {
    const off = this.ticks.subscribe(callback);
    if (this.startOnSubscribe && !this.running) void this.start();
    return () => {
      off();
      if (this.startOnSubscribe && this.ticks.count === 0) this.stop();
    };
  }

  /** Same as subscribe. */
  onTick(callback: (tick: MonitorTick) => void): Unsubscribe {
    return this.subscribe(callback);
  }

  latest(): MonitorTick {
    return { at: Date.now(), host: this.host.latest(), containers: this.containers.latest() };
  }

  history(): MonitorHistory {
    return { host: this.host.history(), containers: this.containers.history() };
  }

  /** The busiest host processes right now (only on demand: listing processes is costly). */
  processes(limit?: number): Promise<HostProcess[]> {
    return this.host.processes(limit);
  }
}
