/**
 * Live refresh for the queue and job views: runs `refresh` when the core reports job activity
 * (the API's 'jobs' events) in a queue `relevant` accepts — at most every `gapMs`, never two at
 * once (activity during a refresh runs it once more afterwards), and only while the page is
 * visible. The views keep their polling as a fallback (e.g. while the stream reconnects).
 */
import { followEvents } from '../shell/event-stream';

export function followJobActivity(
  relevant: (queue: string) => boolean,
  refresh: () => Promise<unknown>,
  gapMs = 500,
): () => void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let running = false;
  let again = false;
  let lastAt = 0;
  let stopped = false;

  const schedule = () => {
    if (timer || stopped) return;
    timer = setTimeout(run, Math.max(0, lastAt + gapMs - Date.now()));
  };
  const run = async () => {
    timer = undefined;
    if (globalThis.document?.visibilityState === 'hidden') return;
    if (running) {
      again = true;
      return;
    }
    running = true;
    lastAt = Date.now();
    try {
      await refresh();
    } catch {
      // The view reports its own errors.
    } finally {
      running = false;
      if (again) {
        again = false;
        schedule();
      }
    }
  };
  const stop = followEvents(['jobs'], {
    onEvent: (event) => {
      if (event.topic === 'jobs' && event.data.queues.some(relevant)) schedule();
    },
  });
  return () => {
    stopped = true;
    stop();
    if (timer) clearTimeout(timer);
  };
}
