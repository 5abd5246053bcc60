/**
 * Modest polling, optionally woken early by events: runs `task` now, then every `intervalMs`
 * while the page is visible (never overlapping itself), at once when the page becomes visible
 * again, and — with `wakeOn` — soon after the event source calls `wake` (at most every
 * WAKE_GAP_MS; a wake while the task runs runs it once more afterwards). Returns the stop
 * function.
 */
export const MIN_POLL_MS = 2_000;
export const WAKE_GAP_MS = 500;

export interface PollOptions {
  /** Subscribes an early-run trigger (e.g. the API's 'jobs' events); returns its stop. */
  wakeOn?: (wake: () => void) => () => void;
}

export function pollWhileVisible(
  task: () => Promise<unknown>,
  intervalMs: number,
  options: PollOptions = {},
): () => void {
  const every = Math.max(MIN_POLL_MS, intervalMs);
  let running = false;
  let stopped = false;
  let wokenWhileRunning = false;
  let lastRunAt = 0;
  let wakeTimer: ReturnType<typeof setTimeout> | undefined;
  const visible = () => globalThis.document?.visibilityState !== 'hidden';
  const run = async (woken = false) => {
    if (stopped || !visible()) return;
    if (running) {
      if (woken) wokenWhileRunning = true;
      return;
    }
    running = true;
    lastRunAt = Date.now();
    try {
      await task();
    } catch {
      // The task reports its own errors; polling carries on.
    } finally {
      running = false;
      if (wokenWhileRunning) {
        wokenWhileRunning = false;
        wake();
      }
    }
  };
  const wake = () => {
    if (wakeTimer !== undefined || stopped) return;
    wakeTimer = setTimeout(
      () => {
        wakeTimer = undefined;
        void run(true);
      },
      Math.max(0, lastRunAt + WAKE_GAP_MS - Date.now()),
    );
  };
  void run();
  const timer = setInterval(() => void run(), every);
  const onVisibility = () => {
    if (visible()) void run();
  };
  globalThis.document?.addEventListener('visibilitychange', onVisibility);
  const stopWaking = options.wakeOn?.(wake);
  return () => {
    stopped = true;
    clearInterval(timer);
    if (wakeTimer !== undefined) clearTimeout(wakeTimer);
    stopWaking?.();
    globalThis.document?.removeEventListener('visibilitychange', onVisibility);
  };
}
