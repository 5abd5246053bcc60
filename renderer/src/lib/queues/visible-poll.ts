/**
 * Modest polling, alone or behind the API's events (see job-activity.ts): runs `task` now, then every `intervalMs`
 * while the page is visible (never overlapping itself), and at once when the page becomes
 * visible again. Returns the stop function.
 */
export const MIN_POLL_MS = 2_000;

export function pollWhileVisible(task: () => Promise<unknown>, intervalMs: number): () => void {
  const every = Math.max(MIN_POLL_MS, intervalMs);
  let running = false;
  let stopped = false;
  const visible = () => globalThis.document?.visibilityState !== 'hidden';
  const run = async () => {
    if (running || stopped || !visible()) return;
    running = true;
    try {
      await task();
    } catch {
      // The task reports its own errors; polling carries on.
    } finally {
      running = false;
    }
  };
  void run();
  const timer = setInterval(() => void run(), every);
  const onVisibility = () => {
    if (visible()) void run();
  };
  globalThis.document?.addEventListener('visibilitychange', onVisibility);
  return () => {
    stopped = true;
    clearInterval(timer);
    globalThis.document?.removeEventListener('visibilitychange', onVisibility);
  };
}
