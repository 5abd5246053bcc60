/**
 * Streams output lines into a job's BullMQ log while it runs, bounded to the newest
 * JOB_LOG_MAX_LINES lines / JOB_LOG_MAX_BYTES bytes. Lines are batched (a chatty command costs
 * at most one burst of Redis calls per flush interval) and older lines are trimmed in Redis by
 * addJobLog's keep argument.
 */
import { Job } from 'bullmq';
import { JOB_LOG_MAX_LINES, LogWindow } from './bounded-output';
import { createThrottledErrorLog, errorMessage } from './log';

export type LogQueue = Parameters<typeof Job.addJobLog>[0];

const FLUSH_INTERVAL_MS = 200;
const logFailure = createThrottledErrorLog(30_000);

export class JobLogStream {
  private readonly window = new LogWindow();
  private pending: string[] = [];
  private timer: NodeJS.Timeout | undefined;
  private inFlight: Promise<void> = Promise.resolve();

  constructor(
    private readonly queue: LogQueue,
    private readonly jobId: string,
  ) {}

  write(line: string): void {
    this.pending.push(line);
    if (this.pending.length > JOB_LOG_MAX_LINES) {
      // Lines older than the window would be trimmed right after being written: skip them.
      this.pending.splice(0, this.pending.length - JOB_LOG_MAX_LINES);
    }
    this.timer ??= setTimeout(() => this.flush(), FLUSH_INTERVAL_MS);
  }

  /** Writes everything pending and waits until Redis has it. */
  async close(): Promise<void> {
    this.flush();
    await this.inFlight;
  }

  private flush(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    const lines = this.pending;
    this.pending = [];
    if (lines.length === 0) return;
    const writes = lines.map((line) =>
      Job.addJobLog(this.queue, this.jobId, line, this.window.push(line)),
    );
    this.inFlight = Promise.all([this.inFlight, ...writes]).then(
      () => undefined,
      (err: unknown) => logFailure(`could not write a job log line: ${errorMessage(err)}`),
    );
  }
}
