/**
 * Live stats for one cluster's containers. Follows the cluster's container list (label filter,
 * refreshed on engine events and every few seconds), keeps one stats stream per running
 * container, and emits one tick per interval with the latest values plus bounded history.
 */
import type { ClusterContainers, ContainerSummary } from '../cluster/containers';
import { clusterFilter, LABEL } from '../cluster/naming';
import { toGuildhallError } from '../util/errors';
import type { StatsReading } from './container-stats';
import { followJsonLines } from '../util/json-lines';
import { Listeners, type Unsubscribe } from './listeners';
import {
  DEFAULT_HISTORY_LENGTH,
  DEFAULT_TICK_MS,
  type ContainerHistory,
  type ContainerPoint,
  type ContainerSample,
  type ContainersTick,
} from './monitor-types';
import { RingBuffer } from '@shared/ring-buffer';
import { openStatsStream, type StatsStream } from './stats-stream';

export interface ContainerMonitorOptions {
  /** The cluster's containers (on one engine connection). */
  containers: ClusterContainers;
  /** Tick period (default 1000 ms). */
  intervalMs?: number;
  /** Safety-net refresh of the container list besides engine events (default 3000 ms). */
  listIntervalMs?: number;
  historyLength?: number;
}

interface Entry {
  id: string;
  name: string;
  service: string | null;
  number: number | null;
  state: string;
  restartCount: number;
  exitCode: number | null;
  oomKilled: boolean;
  needsInspect: boolean;
  reading: StatsReading | null;
  /** Identifies the current stream (also while it is still opening); null without one. */
  streamToken: object | null;
  stream: StatsStream | null;
  history: RingBuffer<ContainerPoint>;
}

const NEVER = '0001-01-01T00:00:00Z';
/**
 * Events that change what we show; each triggers a list refresh. Podman's Docker-compatible API
 * filters by its own names for two of them ('died' for 'die', 'remove' for 'destroy'); Docker
 * accepts and ignores those.
 */
const WATCHED_EVENTS = [
  'create',
  'start',
  'restart',
  'die',
  'died',
  'oom',
  'stop',
  'kill',
  'pause',
  'unpause',
  'destroy',
  'remove',
  'rename',
];
/** Delay that batches the bursts of events one `scale` produces into one refresh. */
const EVENT_DEBOUNCE_MS = 100;

export class ContainerMonitor {
  readonly cluster: string;
  private readonly containers: ClusterContainers;
  private readonly intervalMs: number;
  private readonly listIntervalMs: number;
  private readonly historyLength: number;
  private readonly entries = new Map<string, Entry>();
  private readonly ticks = new Listeners<ContainersTick>();
  private running = false;
  private tickTimer: NodeJS.Timeout | null = null;
  private listTimer: NodeJS.Timeout | null = null;
  private debounceTimer: NodeJS.Timeout | null = null;
  private closeEvents: (() => void) | null = null;
  private openingEvents = false;
  private syncing: Promise<void> | null = null;
  private syncAgain = false;
  private lastError: string | undefined;
  private lastTick: ContainersTick | null = null;

  constructor(options: ContainerMonitorOptions) {
    this.containers = options.containers;
    this.cluster = options.containers.cluster;
    this.intervalMs = options.intervalMs ?? DEFAULT_TICK_MS;
    this.listIntervalMs = options.listIntervalMs ?? 3_000;
    this.historyLength = options.historyLength ?? DEFAULT_HISTORY_LENGTH;
  }

  get isRunning(): boolean {
    return this.running;
  }

  /** Starts following the cluster; resolves once the first container list was read (or failed). */
  async start(): Promise<void> {
    if (this.running) return;
    this.running = true;
    this.tickTimer = setInterval(() => this.tick(), this.intervalMs);
    this.listTimer = setInterval(() => {
      void this.openEvents();
      void this.sync();
    }, this.listIntervalMs);
    await Promise.all([this.openEvents(), this.sync()]);
  }

  /** Closes every stream and timer. History stays readable. */
  stop(): void {
    this.running = false;
    for (const timer of [this.tickTimer, this.listTimer]) if (timer) clearInterval(timer);
    if (this.debounceTimer) clearTimeout(this.debounceTimer);
    this.tickTimer = this.listTimer = this.debounceTimer = null;
    this.closeEvents?.();
    this.closeEvents = null;
    for (const entry of this.entries.values()) this.closeStream(entry);
  }

  onTick(callback: (tick: ContainersTick) => void): Unsubscribe {
    return this.ticks.subscribe(callback);
  }

  /** The latest tick, or a fresh view when none was emitted yet. */
  latest(): ContainersTick {
    return this.lastTick ?? this.snapshot(Date.now());
  }

  history(): ContainerHistory[] {
    return this.sortedEntries().map((e) => ({
      id: e.id,
      name: e.name,
      service: e.service,
      points: e.history.toArray(),
    }));
  }

  /** Refreshes the container list now (also runs on engine events and every listIntervalMs). */
  refresh(): Promise<void> {
    return this.sync();
  }

  private tick(): void {
    const at = Date.now();
    const staleAfter = at - 3 * this.intervalMs;
    for (const entry of this.entries.values()) {
      if (entry.state !== 'running') continue;
      const r = entry.reading && entry.reading.readAt >= staleAfter ? entry.reading : null;
      entry.history.push({
        at,
        cpuPercent: r?.cpuPercent ?? null,
        memoryBytes: r?.memoryBytes ?? null,
        networkRxBytesPerSec: r?.networkRxBytesPerSec ?? null,
        networkTxBytesPerSec: r?.networkTxBytesPerSec ?? null,
      });
    }
    this.lastTick = this.snapshot(at);
    this.ticks.emit(this.lastTick);
  }

  private snapshot(at: number): ContainersTick {
    const containers = this.sortedEntries().map(toSample);
    return this.lastError ? { at, containers, error: this.lastError } : { at, containers };
  }

  private sortedEntries(): Entry[] {
    return [...this.entries.values()].sort(
      (a, b) =>
        (a.service ?? '').localeCompare(b.service ?? '') ||
        (a.number ?? 0) - (b.number ?? 0) ||
        a.name.localeCompare(b.name),
    );
  }

  private scheduleSync(): void {
    if (!this.running || this.debounceTimer) return;
    this.debounceTimer = setTimeout(() => {
      this.debounceTimer = null;
      void this.sync();
    }, EVENT_DEBOUNCE_MS);
  }

  /** One refresh at a time; a request during a refresh runs one more afterwards. */
  private sync(): Promise<void> {
    if (this.syncing) {
      this.syncAgain = true;
      return this.syncing;
    }
    this.syncing = (async () => {
      do {
        this.syncAgain = false;
        await this.syncOnce();
      } while (this.syncAgain && this.running);
    })().finally(() => {
      this.syncing = null;
    });
    return this.syncing;
  }

  private async syncOnce(): Promise<void> {
    if (!this.running) return;
    let list: ContainerSummary[];
    try {
      list = await this.containers.list();
      this.lastError = undefined;
    } catch (err) {
      this.lastError = `Could not read the cluster's containers: ${toGuildhallError(err, 'engine-failed').message}`;
      return;
    }
    if (!this.running) return;
    const seen = new Set(list.map((info) => info.Id));
    for (const [id, entry] of this.entries) {
      if (!seen.has(id)) {
        this.closeStream(entry);
        this.entries.delete(id);
      }
    }
    await Promise.all(list.map((info) => this.update(info)));
  }

  private async update(info: ContainerSummary): Promise<void> {
    let entry = this.entries.get(info.Id);
    if (!entry) {
      entry = newEntry(info, this.historyLength);
      this.entries.set(info.Id, entry);
    } else if (entry.state !== info.State) {
      entry.needsInspect = true;
    }
    entry.state = info.State;
    entry.name = (info.Names[0] ?? info.Id).replace(/^\//, '');
    if (entry.needsInspect) await this.inspect(entry);
    if (!this.running || this.entries.get(entry.id) !== entry) return;
    if (entry.state === 'running') this.ensureStream(entry);
    else {
      this.closeStream(entry);
      entry.reading = null;
    }
  }

  private async inspect(entry: Entry): Promise<void> {
    entry.needsInspect = false;
    try {
      const details = await this.containers.inspect(entry.id);
      entry.restartCount = details.RestartCount ?? 0;
      entry.state = details.State.Status;
      entry.oomKilled = details.State.OOMKilled;
      const finished = details.State.FinishedAt;
      entry.exitCode = finished && finished !== NEVER ? details.State.ExitCode : null;
    } catch {
      // Removed meanwhile (the next refresh drops it) or the engine hiccuped: try again next time.
      entry.needsInspect = true;
    }
  }

  private ensureStream(entry: Entry): void {
    if (entry.streamToken) return;
    const token = {};
    entry.streamToken = token;
    const current = () => entry.streamToken === token && this.entries.get(entry.id) === entry;
    openStatsStream(this.containers, entry.id, {
      onReading: (reading) => {
        if (current()) entry.reading = reading;
      },
      onRestartSeen: () => {
        if (!current()) return;
        entry.needsInspect = true;
        this.scheduleSync();
      },
      onClose: () => {
        if (entry.streamToken !== token) return;
        entry.streamToken = null;
        entry.stream = null;
        this.scheduleSync();
      },
    }).then(
      (stream) => {
        if (this.running && current()) entry.stream = stream;
        else stream.close();
      },
      () => {
        // The container stopped or vanished before the stream opened; the refresh will tell.
        if (entry.streamToken === token) entry.streamToken = null;
      },
    );
  }

  private closeStream(entry: Entry): void {
    const stream = entry.stream;
    entry.stream = null;
    entry.streamToken = null;
    stream?.close();
  }

  private async openEvents(): Promise<void> {
    if (this.closeEvents || this.openingEvents || !this.running) return;
    this.openingEvents = true;
    try {
      const stream = await this.containers.events({
        type: ['container'],
        event: WATCHED_EVENTS,
        ...clusterFilter(this.cluster),
      });
      let close: (() => void) | null = null;
      close = followJsonLines(stream, {
        onValue: (event) => {
          const id = (event as { Actor?: { ID?: string } }).Actor?.ID;
          const entry = id ? this.entries.get(id) : undefined;
          if (entry) entry.needsInspect = true;
          this.scheduleSync();
        },
        onClose: () => {
          // Ended by the engine: the list timer reopens it.
          if (this.closeEvents === close) this.closeEvents = null;
        },
      });
      if (this.running) this.closeEvents = close;
      else close();
    } catch {
      // Engine unreachable: the list timer tries again.
    } finally {
      this.openingEvents = false;
    }
  }
}

function newEntry(info: ContainerSummary, historyLength: number): Entry {
  const labels = info.Labels ?? {};
  const number = Number(labels[LABEL.number]);
  return {
    id: info.Id,
    name: (info.Names[0] ?? info.Id).replace(/^\//, ''),
    service: labels[LABEL.service] ?? null,
    number: labels[LABEL.number] !== undefined && Number.isInteger(number) ? number : null,
    state: info.State,
    restartCount: 0,
    exitCode: null,
    oomKilled: false,
    needsInspect: true,
    reading: null,
    streamToken: null,
    stream: null,
    history: new RingBuffer<ContainerPoint>(historyLength),
  };
}

function toSample(entry: Entry): ContainerSample {
  const r = entry.state === 'running' ? entry.reading : null;
  return {
    id: entry.id,
    name: entry.name,
    service: entry.service,
    number: entry.number,
    state: entry.state,
    restartCount: entry.restartCount,
    exitCode: entry.exitCode,
    oomKilled: entry.oomKilled,
    cpuPercent: r?.cpuPercent ?? null,
    memoryBytes: r?.memoryBytes ?? null,
    memoryLimitBytes: r?.memoryLimitBytes ?? null,
    networkRxBytes: r?.networkRxBytes ?? null,
    networkTxBytes: r?.networkTxBytes ?? null,
    networkRxBytesPerSec: r?.networkRxBytesPerSec ?? null,
    networkTxBytesPerSec: r?.networkTxBytesPerSec ?? null,
    sampledAt: r?.readAt ?? null,
  };
}
