/**
 * Live refresh for the queue and job views: calls `onActivity` when the core reports job activity
 * (the API's 'jobs' events) in a queue `relevant` accepts, at most every `gapMs`, while the page
 * is visible. The views keep their polling as a fallback (e.g. while the stream reconnects).
 */
import { followEvents } from '../shell/event-stream';

export function followJobActivity(
  relevant: (queue: string) => boolean,
  onActivity: () => void,
  gapMs = 500,
): () => void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let lastAt = 0;
  const run = () => {
    timer = undefined;
    lastAt = Date.now();
    if (globalThis.document?.visibilityState !== 'hidden') onActivity();
  };
  const stop = followEvents(['jobs'], {
    onEvent: (event) => {
      if (event.topic !== 'jobs' || !event.data.queues.some(relevant) || timer) return;
      timer = setTimeout(run, Math.max(0, lastAt + gapMs - Date.now()));
    },
  });
  return () => {
    stop();
    if (timer) clearTimeout(timer);
  };
}
