/**
 * Metrics ticks for the event stream from the monitor (main/monitor): the Monitor for the
 * current cluster is created when the first 'metrics' subscriber arrives and stopped when the
 * last one leaves. (Crash-loop alerts come from ApiServices' AlertMonitor, fed by the status.)
 */
import type { Core } from '../core';
import { Monitor } from '../monitor';
import type { MetricsSource } from './context';

export interface MonitorSourceOptions {
  intervalMs?: number;
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
        const { spec } = await core.cluster.spec();
        const { docker } = await core.engine();
        if (stopped) return;
        const monitor = new Monitor({
          docker,
          cluster: spec.name,
          intervalMs: options.intervalMs,
          startOnSubscribe: true,
        });
        const offTicks = monitor.subscribe(listener);
        off = () => {
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
