/** The monitor's public surface: host and container metrics, history and alerts. */
export {
  HostMonitor,
  filesystemFor,
  type HostMonitorOptions,
  type SystemInfoSource,
} from './host-monitor';
export { ContainerMonitor, type ContainerMonitorOptions } from './container-monitor';
export { Monitor, type MonitorHistory, type MonitorOptions } from './monitor';
export {
  cpuPercent,
  memoryUsedBytes,
  memoryLimitBytes,
  networkTotals,
  parseContainerStats,
  readStats,
  type ContainerStatsSample,
  type StatsReading,
} from './container-stats';
export * from './alerts';
export type * from './monitor-types';
export { DEFAULT_HISTORY_LENGTH, DEFAULT_TICK_MS, DEFAULT_DISK_INTERVAL_MS } from './monitor-types';
export type { Unsubscribe } from './listeners';
