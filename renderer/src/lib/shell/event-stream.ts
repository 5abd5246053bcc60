/**
 * Follows the API's event stream for some topics, reconnecting after a dropped connection
 * (console server restarted, laptop slept) with a growing pause (2 s … 10 s) — never a tight loop.
 */
import { api, type ApiEvent } from '../api/client';
import type { ApiEventTopic } from '@shared/contract';

export interface FollowOptions {
  onEvent: (event: ApiEvent) => void;
  /** Called each time the stream is (re)established. */
  onConnected?: () => void;
  /** Called when the stream broke and a reconnect is pending. */
  onDisconnected?: () => void;
}

const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        resolve();
      },
      { once: true },
    );
  });

/** Starts following; the returned function stops. */
export function followEvents(topics: ApiEventTopic[], options: FollowOptions): () => void {
  const controller = new AbortController();
  const { signal } = controller;
  void (async () => {
    let pause = 2_000;
    while (!signal.aborted) {
      try {
        const events = await api.events.subscribe({ topics }, { signal });
        options.onConnected?.();
        pause = 2_000;
        for await (const event of events) options.onEvent(event);
      } catch {
        // Dropped or refused: try again after a pause.
      }
      if (signal.aborted) break;
      options.onDisconnected?.();
      await sleep(pause, signal);
      pause = Math.min(pause * 2, 10_000);
    }
  })();
  return () => controller.abort();
}
