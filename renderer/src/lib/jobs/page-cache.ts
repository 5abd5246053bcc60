/**
 * Rows of a long server-side list, fetched a page at a time as the user scrolls and kept in a
 * bounded cache (least recently used pages go first). `reset` starts over for a new list
 * (other queue, state or filter); answers to requests made before a reset are ignored.
 */
import { pagesFor } from './virtual-window';

export interface PageResult<T> {
  /** Rows in the whole list right now. */
  total: number;
  items: T[];
}

export type PageFetcher<T> = (start: number, count: number) => Promise<PageResult<T>>;

export interface PageCacheOptions {
  pageSize?: number;
  /** Pages kept at most (memory stays bounded however far the user scrolls). */
  maxPages?: number;
  /** Called whenever rows or the total changed. */
  onChange?: () => void;
  /** Called when a page could not be fetched. */
  onError?: (err: unknown) => void;
}

export class PageCache<T> {
  readonly pageSize: number;
  readonly maxPages: number;
  /** Rows in the list as of the latest answer; null until the first page arrived. */
  total: number | null = null;
  private pages = new Map<number, T[]>();
  private pending = new Map<number, Promise<void>>();
  private pendingTokens = new Map<number, object>();
  private generation = 0;

  constructor(
    private fetcher: PageFetcher<T>,
    private readonly options: PageCacheOptions = {},
  ) {
    this.pageSize = options.pageSize ?? 100;
    this.maxPages = Math.max(2, options.maxPages ?? 40);
  }

  /** The row at `index`, or undefined when its page is not loaded (yet). */
  get(index: number): T | undefined {
    const page = Math.floor(index / this.pageSize);
    return this.pages.get(page)?.[index - page * this.pageSize];
  }

  /** Whether the page holding `index` is loaded (its row may still be past the end). */
  isLoaded(index: number): boolean {
    return this.pages.has(Math.floor(index / this.pageSize));
  }

  get cachedPages(): number {
    return this.pages.size;
  }

  /** Fetches the pages of rows [start, end) that are neither cached nor on their way. */
  ensure(start: number, end: number): Promise<void> {
    const wanted = pagesFor(start, Math.max(end, start + 1), this.pageSize);
    this.touch(wanted);
    return this.loadAll(wanted.filter((page) => !this.pages.has(page)));
  }

  /**
   * Fetches the pages of rows [start, end) again (the list changed on the server) and forgets
   * every other page, so rows scrolled to later are fresh too.
   */
  refresh(start: number, end: number): Promise<void> {
    const wanted = pagesFor(start, Math.max(end, start + 1), this.pageSize);
    for (const page of [...this.pages.keys()]) if (!wanted.includes(page)) this.pages.delete(page);
    return this.loadAll(wanted, true);
  }

  /** Starts over, optionally with a new fetcher; late answers for the old list are dropped. */
  reset(fetcher?: PageFetcher<T>): void {
    if (fetcher) this.fetcher = fetcher;
    this.generation++;
    this.pages.clear();
    this.pending.clear();
    this.pendingTokens.clear();
    this.total = null;
    this.options.onChange?.();
  }

  private async loadAll(pages: number[], force = false): Promise<void> {
    await Promise.all(pages.map((page) => this.load(page, force)));
  }

  private load(page: number, force: boolean): Promise<void> {
    const inFlight = this.pending.get(page);
    if (inFlight && !force) return inFlight;
    const generation = this.generation;
    const token = {};
    this.pendingTokens.set(page, token);
    const request = this.fetch(page, generation).finally(() => {
      if (this.pendingTokens.get(page) === token) {
        this.pendingTokens.delete(page);
        this.pending.delete(page);
      }
    });
    this.pending.set(page, request);
    return request;
  }

  private async fetch(page: number, generation: number): Promise<void> {
    try {
      const result = await this.fetcher(page * this.pageSize, this.pageSize);
      if (generation !== this.generation) return;
      this.total = result.total;
      this.pages.set(page, result.items);
      this.touch([page]);
      this.evict(page);
      this.options.onChange?.();
    } catch (err) {
      if (generation === this.generation) this.options.onError?.(err);
    }
  }

  /** Marks pages as recently used (Map order is the LRU order). */
  private touch(pages: number[]): void {
    for (const page of pages) {
      const rows = this.pages.get(page);
      if (rows) {
        this.pages.delete(page);
        this.pages.set(page, rows);
      }
    }
  }

  private evict(keep: number): void {
    for (const page of this.pages.keys()) {
      if (this.pages.size <= this.maxPages) break;
      if (page !== keep) this.pages.delete(page);
    }
  }
}
