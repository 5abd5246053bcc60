/**
 * Bounded buffers for a job's output: the tail of a byte stream, a line splitter that never
 * holds more than one (capped) line, and the sliding window that keeps a job's log to its last
 * N lines / M bytes.
 */

export const STREAM_TAIL_BYTES = 64 * 1024;
export const MAX_LINE_BYTES = 8 * 1024;
export const JOB_LOG_MAX_LINES = 1_000;
export const JOB_LOG_MAX_BYTES = 256 * 1024;

/** Keeps the last `limit` bytes written; decodes them as UTF-8 without a broken first char. */
export class TailBuffer {
  private chunks: Buffer[] = [];
  private size = 0;
  private dropped = false;

  constructor(private readonly limit = STREAM_TAIL_BYTES) {}

  write(chunk: Buffer): void {
    if (chunk.length === 0) return;
    const piece = chunk.length > this.limit ? chunk.subarray(chunk.length - this.limit) : chunk;
    if (piece !== chunk) this.dropped = true;
    this.chunks.push(piece);
    this.size += piece.length;
    while (this.size > this.limit) {
      const first = this.chunks[0];
      if (first === undefined) break;
      const excess = this.size - this.limit;
      this.dropped = true;
      if (first.length <= excess) {
        this.chunks.shift();
        this.size -= first.length;
      } else {
        this.chunks[0] = first.subarray(excess);
        this.size -= excess;
      }
    }
  }

  /** True once anything was discarded from the front. */
  get truncated(): boolean {
    return this.dropped;
  }

  text(): string {
    let bytes = Buffer.concat(this.chunks, this.size);
    if (this.dropped) {
      // Skip UTF-8 continuation bytes left over from a character cut in half.
      let start = 0;
      while (start < bytes.length && start < 4 && ((bytes[start] ?? 0) & 0xc0) === 0x80) start++;
      bytes = bytes.subarray(start);
    }
    return bytes.toString('utf8');
  }
}

/**
 * Splits a byte stream into lines ("\n" or "\r\n"). A line longer than maxBytes is emitted cut
 * to maxBytes as soon as it overflows, and the rest of it is dropped up to its newline.
 */
export class LineSplitter {
  private pending: Buffer = Buffer.alloc(0);
  private discarding = false;

  constructor(
    private readonly onLine: (line: string) => void,
    private readonly maxBytes = MAX_LINE_BYTES,
  ) {}

  write(chunk: Buffer): void {
    let data = chunk;
    while (data.length > 0) {
      const newline = data.indexOf(0x0a);
      if (this.discarding) {
        if (newline < 0) return;
        this.discarding = false;
        data = data.subarray(newline + 1);
        continue;
      }
      if (newline < 0) {
        this.pending = Buffer.concat([this.pending, data]);
        if (this.pending.length > this.maxBytes) {
          this.emit(this.pending);
          this.pending = Buffer.alloc(0);
          this.discarding = true;
        }
        return;
      }
      const line =
        this.pending.length > 0
          ? Buffer.concat([this.pending, data.subarray(0, newline)])
          : data.subarray(0, newline);
      this.pending = Buffer.alloc(0);
      this.emit(line);
      data = data.subarray(newline + 1);
    }
  }

  /** Emits a final line without a newline, if any. */
  end(): void {
    if (this.pending.length > 0) this.emit(this.pending);
    this.pending = Buffer.alloc(0);
    this.discarding = false;
  }

  private emit(raw: Buffer): void {
    let line = raw.at(-1) === 0x0d ? raw.subarray(0, -1) : raw;
    let suffix = '';
    if (line.length > this.maxBytes) {
      line = line.subarray(0, this.maxBytes);
      suffix = ' …[line truncated]';
    }
    this.onLine(line.toString('utf8') + suffix);
  }
}

/**
 * The log lines a job keeps: the newest `maxLines` lines totalling at most `maxBytes`. `push`
 * returns how many entries the job's log list should keep after appending the line, which is
 * what BullMQ's addJobLog trims to.
 */
export class LogWindow {
  private readonly sizes: number[] = [];
  private head = 0;
  private bytes = 0;

  constructor(
    private readonly maxLines = JOB_LOG_MAX_LINES,
    private readonly maxBytes = JOB_LOG_MAX_BYTES,
  ) {}

  push(line: string): number {
    const size = Buffer.byteLength(line);
    this.sizes.push(size);
    this.bytes += size;
    while (this.count > 1 && (this.count > this.maxLines || this.bytes > this.maxBytes)) {
      this.bytes -= this.sizes[this.head] ?? 0;
      this.head++;
    }
    if (this.head > 4_096) {
      this.sizes.splice(0, this.head);
      this.head = 0;
    }
    return this.count;
  }

  get count(): number {
    return this.sizes.length - this.head;
  }

  get totalBytes(): number {
    return this.bytes;
  }
}
