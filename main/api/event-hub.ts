/**
 * The core's event hub: cluster state changes, progress, activity log lines and metrics ticks
 * go in with `publish`; windows and browser consoles take them out with `subscribe`.
 *
 * Events published while nobody listens to their topic are held (bounded, oldest dropped
 * first) and flushed to the first subscriber of that topic, in order, before live events — so a
 * window that opens late still sees what happened before it was ready (like Podman Desktop's
 * ready-queue). Each subscriber has its own bounded queue, so a slow one cannot grow memory or
 * hold up the others. Every event gets a sequence number; a gap means events were dropped.
 */

export type HubEventOf<M> = {
  [K in keyof M]: { seq: number; at: number; topic: K; data: M[K] };
}[keyof M];

export interface EventHubOptions {
  /** Events held for a late subscriber, at most (default 500). */
  holdLimit?: number;
  /** Events queued for one subscriber that has not taken them yet, at most (default 1000). */
  queueLimit?: number;
  now?: () => number;
}

export interface SubscribeOptions<M> {
  /** Topics to receive; all when omitted. */
  topics?: readonly (keyof M)[];
  /** Ends the subscription when aborted. */
  signal?: AbortSignal;
}

export class EventHub<M extends object> {
  private seq = 0;
  private held: HubEventOf<M>[] = [];
  private heldDropped = 0;
  private readonly subscribers = new Set<EventSubscription<M>>();
  private readonly listeners = new Set<() => void>();
  private readonly holdLimit: number;
  private readonly queueLimit: number;
  private readonly now: () => number;

  constructor(options: EventHubOptions = {}) {
    this.holdLimit = options.holdLimit ?? 500;
    this.queueLimit = options.queueLimit ?? 1_000;
    this.now = options.now ?? Date.now;
  }

  publish<K extends keyof M>(topic: K, data: M[K]): HubEventOf<M> {
    const event = { seq: ++this.seq, at: this.now(), topic, data } as HubEventOf<M>;
    let delivered = false;
    for (const subscriber of this.subscribers) {
      if (subscriber.wants(topic)) {
        subscriber.push(event);
        delivered = true;
      }
    }
    if (!delivered) {
      this.held.push(event);
      if (this.held.length > this.holdLimit) {
        this.held.shift();
        this.heldDropped++;
      }
    }
    return event;
  }

  /** Starts receiving: held events of the chosen topics first, then live ones. */
  subscribe(options: SubscribeOptions<M> = {}): EventSubscription<M> {
    const topics = options.topics ? new Set(options.topics) : null;
    const subscription = new EventSubscription<M>(topics, this.queueLimit, () => {
      this.subscribers.delete(subscription);
      this.notify();
    });
    const flushed: HubEventOf<M>[] = [];
    this.held = this.held.filter((event) => {
      if (!subscription.wants(event.topic)) return true;
      flushed.push(event);
      return false;
    });
    for (const event of flushed) subscription.push(event);
    this.subscribers.add(subscription);
    this.notify();
    if (options.signal) {
      if (options.signal.aborted) subscription.close();
      else options.signal.addEventListener('abort', () => subscription.close(), { once: true });
    }
    return subscription;
  }

  /** Subscribers that receive the topic (all subscribers when no topic is given). */
  subscriberCount(topic?: keyof M): number {
    let count = 0;
    for (const subscriber of this.subscribers) {
      if (topic === undefined || subscriber.wants(topic)) count++;
    }
    return count;
  }

  /** Events waiting for a subscriber, and how many were dropped because the hold was full. */
  heldStats(): { held: number; dropped: number } {
    return { held: this.held.length, dropped: this.heldDropped };
  }

  /** Called whenever a subscriber comes or goes (e.g. to start or stop a poller). */
  onSubscribersChanged(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Ends every subscription. */
  close(): void {
    for (const subscriber of [...this.subscribers]) subscriber.close();
  }

  private notify(): void {
    for (const listener of this.listeners) listener();
  }
}

/** One subscriber's stream: an async iterator that ends when closed, returned or aborted. */
export class EventSubscription<M extends object> implements AsyncIterableIterator<HubEventOf<M>> {
  private readonly queue: HubEventOf<M>[] = [];
  private readonly waiting: ((result: IteratorResult<HubEventOf<M>>) => void)[] = [];
  private closed = false;
  /** Events dropped because this subscriber fell more than the queue limit behind. */
  dropped = 0;

  constructor(
    private readonly topics: ReadonlySet<keyof M> | null,
    private readonly queueLimit: number,
    private readonly onClose: () => void,
  ) {}

  wants(topic: keyof M): boolean {
    return this.topics === null || this.topics.has(topic);
  }

  push(event: HubEventOf<M>): void {
    if (this.closed) return;
    const resolve = this.waiting.shift();
    if (resolve) {
      resolve({ value: event, done: false });
      return;
    }
    this.queue.push(event);
    if (this.queue.length > this.queueLimit) {
      this.queue.shift();
      this.dropped++;
    }
  }

  next(): Promise<IteratorResult<HubEventOf<M>>> {
    const event = this.queue.shift();
    if (event) return Promise.resolve({ value: event, done: false });
    if (this.closed) return Promise.resolve({ value: undefined, done: true });
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  return(): Promise<IteratorResult<HubEventOf<M>>> {
    this.close();
    return Promise.resolve({ value: undefined, done: true });
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.queue.length = 0;
    for (const resolve of this.waiting.splice(0)) resolve({ value: undefined, done: true });
    this.onClose();
  }

  get isClosed(): boolean {
    return this.closed;
  }

  [Symbol.asyncIterator](): this {
    return this;
  }
}
