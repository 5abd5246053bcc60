/**
 * Metrics ticks for the event stream from the monitor (main/monitor): the Monitor for the
 * current cluster samples while at least one 'metrics' subscriber listens and pauses when the
 * last one leaves. It is kept (with its history) across subscribers, so a page opened again —
 * a browser reload, a window shown from the tray — reads the minutes before it through
 * `history()` and draws them at once. (Crash-loop alerts come from ApiServices' AlertMonitor,
 * fed by the cluster status.)
 */
import type { Core } from '../core';
import { Monitor, type MonitorHistory } from '../monitor';
import type { MetricsSource } from './metrics-feed';

export interface MonitorSourceOptions {
  intervalMs?: number;
}

export function monitorMetricsSource(
  core: Core,
  options: MonitorSourceOptions = {},
): MetricsSource {
  /** The monitor of the cluster (and engine) last looked at; replaced when either changes. */
  let kept: { key: string; monitor: Monitor } | null = null;

  async function monitorForNow(): Promise<{ key: string; monitor: Monitor }> {
    const containers = await core.cluster.containers();
    const key = JSON.stringify([containers.cluster, containers.engine?.endpoint]);
    if (kept?.key === key) return kept;
    kept?.monitor.stop();
    kept = {
      key,
      monitor: new Monitor({
        containers,
        intervalMs: options.intervalMs,
        // Samples only while someone subscribes; the history stays when it pauses.
        startOnSubscribe: true,
      }),
    };
    return kept;
  }

  return {
    subscribe(listener) {
      let stopped = false;
      let off: (() => void) | null = null;
      void monitorForNow()
        .then(({ monitor }) => {
          if (stopped) return;
          off = monitor.subscribe(listener);
        })
        .catch(() => {
          // No engine right now: no ticks; a later subscriber tries again.
        });
      return () => {
        stopped = true;
        off?.();
        off = null;
      };
    },
    history(): MonitorHistory | null {
      return kept?.monitor.history() ?? null;
    },
  };
}
