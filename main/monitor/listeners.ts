/**
 * A set of callbacks for one kind of event: `subscribe` returns the function that removes the
 * callback again. A throwing listener never stops the others or the monitor that emits.
 */
export type Unsubscribe = () => void;

export class Listeners<T> {
  private readonly callbacks = new Set<(value: T) => void>();

  get count(): number {
    return this.callbacks.size;
  }

  subscribe(callback: (value: T) => void): Unsubscribe {
    // Wrap so the same function subscribed twice gets two independent subscriptions.
    const entry = (value: T) => callback(value);
    this.callbacks.add(entry);
    return () => {
      this.callbacks.delete(entry);
    };
  }

  emit(value: T): void {
    for (const callback of [...this.callbacks]) {
      try {
        callback(value);
      } catch {
        // A listener's failure is its own; the monitor keeps ticking for everyone else.
      }
    }
  }

  clear(): void {
    this.callbacks.clear();
  }
}
