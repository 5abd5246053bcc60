/**
 * Runs work that reports progress and hands the events out as an async generator whose return
 * value is the work's result — the shape of a streaming procedure's output.
 */
import type { ProgressEvent, ProgressSink } from '../util/progress';

export async function* progressWhile<R>(
  work: (sink: ProgressSink) => Promise<R>,
): AsyncGenerator<ProgressEvent, R, void> {
  const queue: ProgressEvent[] = [];
  let wake: (() => void) | null = null;
  type Outcome = { ok: true; value: R } | { ok: false; error: unknown };
  const state: { outcome: Outcome | null } = { outcome: null };
  const sink: ProgressSink = (event) => {
    queue.push(event);
    wake?.();
  };
  work(sink).then(
    (value) => {
      state.outcome = { ok: true, value };
      wake?.();
    },
    (error: unknown) => {
      state.outcome = { ok: false, error };
      wake?.();
    },
  );
  for (;;) {
    let event: ProgressEvent | undefined;
    while ((event = queue.shift())) yield event;
    const done = state.outcome;
    if (done) {
      if (!done.ok) throw done.error;
      return done.value;
    }
    await new Promise<void>((resolve) => {
      wake = resolve;
    });
    wake = null;
  }
}
