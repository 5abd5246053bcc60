/**
 * A fixed-capacity buffer keeping the newest `capacity` items: pushing into a full buffer
 * overwrites the oldest one, so memory stays bounded however long a monitor runs.
 */
export class RingBuffer<T> {
  private readonly items: (T | undefined)[];
  /** Index the next push writes to. */
  private next = 0;
  private count = 0;

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) {
      throw new RangeError(`RingBuffer capacity must be a positive integer, got ${capacity}`);
    }
    this.items = new Array<T | undefined>(capacity);
  }

  get size(): number {
    return this.count;
  }

  push(item: T): void {
    this.items[this.next] = item;
    this.next = (this.next + 1) % this.capacity;
    if (this.count < this.capacity) this.count++;
  }

  /** The newest item, or undefined when empty. */
  latest(): T | undefined {
    if (this.count === 0) return undefined;
    return this.items[(this.next - 1 + this.capacity) % this.capacity];
  }

  /** The oldest item still kept, or undefined when empty. */
  oldest(): T | undefined {
    if (this.count === 0) return undefined;
    return this.items[(this.next - this.count + this.capacity) % this.capacity];
  }

  /** A copy of the kept items, oldest first. Later pushes do not change the returned array. */
  toArray(): T[] {
    const out: T[] = [];
    const start = (this.next - this.count + this.capacity) % this.capacity;
    for (let i = 0; i < this.count; i++) {
      out.push(this.items[(start + i) % this.capacity] as T);
    }
    return out;
  }

  clear(): void {
    this.items.fill(undefined);
    this.next = 0;
    this.count = 0;
  }
}
