/**
 * Metrics ticks for the event stream from the monitor (main/monitor): the Monitor for the
 * current cluster is created when the first 'metrics' subscriber arrives and stopped when the
 * last one leaves. Its crash-loop alerts go to the activity log.
 */
import type { Core } from '../core';
import { Monitor } from '../monitor';
import type { MetricsSource } from './metrics-feed';

export interface MonitorSourceOptions {
  intervalMs?: number;
  /** Told about crash-loop alerts (e.g. to publish them on the activity log). */
  onAlert?: (message: string) => void;
}

export function monitorMetricsSource(
  core: Core,
  options: MonitorSourceOptions = {},
): MetricsSource {
  return {
    subscribe(listener) {
      let stopped = false;
      let off: (() => void) | null = null;
      void (async () => {
        const containers = await core.cluster.containers();
        if (stopped) return;
        const monitor = new Monitor({
          containers,
          intervalMs: options.intervalMs,
          startOnSubscribe: true,
        });
        const offTicks = monitor.subscribe(listener);
        const offAlerts = monitor.onAlert((alert) => options.onAlert?.(alert.message));
        off = () => {
          offAlerts();
          offTicks();
          monitor.stop();
        };
      })().catch(() => {
        // No engine right now: no ticks; a later subscriber tries again.
      });
      return () => {
        stopped = true;
        off?.();
        off = null;
      };
    },
  };
}
