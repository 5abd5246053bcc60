/**
 * Time bounds for a scrape: each source is awaited at most until the scrape's deadline, and a
 * source still busy from an earlier scrape is joined rather than asked again (a Redis or an
 * engine that hangs must not pile up one request per scrape).
 */
export type Bounded<T> =
  { ok: true; value: T } | { ok: false; reason: 'timeout' | 'error'; error?: unknown };

export function within<T>(promise: Promise<T>, deadline: number): Promise<Bounded<T>> {
  const ms = Math.max(0, deadline - Date.now());
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve({ ok: false, reason: 'timeout' }), ms);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve({ ok: true, value });
      },
      (error: unknown) => {
        clearTimeout(timer);
        resolve({ ok: false, reason: 'error', error });
      },
    );
  });
}

/** Runs `read` unless its previous run is still pending, in which case that run is shared. */
export class SharedRead<T> {
  private pending: Promise<T> | null = null;

  constructor(private readonly read: () => Promise<T>) {}

  run(): Promise<T> {
    if (!this.pending) {
      this.pending = this.read().finally(() => {
        this.pending = null;
      });
    }
    return this.pending;
  }
}
