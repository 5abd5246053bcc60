/**
 * A fixed-capacity buffer that keeps the newest items: pushing beyond capacity drops the oldest.
 * Memory stays bounded however long the monitor's history or the log viewer runs. Index 0 is the
 * oldest item kept. Browser-safe: the renderer uses it too.
 */
export class RingBuffer<T> {
  readonly capacity: number;
  private items: (T | undefined)[];
  /** Where the oldest item sits in `items`. */
  private head = 0;
  private count = 0;
  /** Items ever pushed (kept or since dropped). */
  pushed = 0;

  constructor(capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1)
      throw new RangeError(`capacity must be a whole number of at least 1, got ${capacity}`);
    this.capacity = capacity;
    this.items = new Array<T | undefined>(capacity);
  }

  get size(): number {
    return this.count;
  }

  /** Items dropped to make room. */
  get dropped(): number {
    return this.pushed - this.count;
  }

  push(item: T): void {
    const tail = (this.head + this.count) % this.capacity;
    this.items[tail] = item;
    if (this.count < this.capacity) this.count++;
    else this.head = (this.head + 1) % this.capacity;
    this.pushed++;
  }

  pushAll(items: Iterable<T>): void {
    for (const item of items) this.push(item);
  }

  /** The newest item, or undefined when empty. */
  latest(): T | undefined {
    return this.at(this.count - 1);
  }

  /** The oldest item still kept, or undefined when empty. */
  oldest(): T | undefined {
    return this.at(0);
  }

  /** The item at `index` (0 = oldest kept), or undefined outside [0, size). */
  at(index: number): T | undefined {
    if (!Number.isInteger(index) || index < 0 || index >= this.count) return undefined;
    return this.items[(this.head + index) % this.capacity];
  }

  toArray(): T[] {
    const out: T[] = [];
    for (let i = 0; i < this.count; i++) out.push(this.items[(this.head + i) % this.capacity] as T);
    return out;
  }

  clear(): void {
    this.items = new Array<T | undefined>(this.capacity);
    this.head = 0;
    this.count = 0;
  }
}
