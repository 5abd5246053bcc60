/**
 * Cluster operations, one at a time (console, tray and browser share the queue): each runs with
 * a progress sink that publishes to the hub under an operation id, and leaves activity-log lines
 * when it starts, finishes or fails (with the secrets redacted).
 */
import { randomUUID } from 'node:crypto';
import { isGuildhallError } from '../util/errors';
import type { ProgressSink } from '../util/progress';
import { redact } from '../util/redact';
import type { ApiEventHub } from './api-events';

export class OperationQueue {
  private tail: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly hub: ApiEventHub,
    /** The secrets to remove from failure messages. */
    private readonly secrets: () => Promise<string[]>,
  ) {}

  /** Runs `run` after the operations queued before it; its result or error is the caller's. */
  run<T>(
    operation: string,
    operationId: string | undefined,
    run: (sink: ProgressSink) => Promise<T>,
  ): Promise<T> {
    const id = operationId ?? randomUUID();
    const sink: ProgressSink = (event) =>
      this.hub.publish('progress', { ...event, operation, operationId: id });
    const activity = (level: 'info' | 'error', message: string) =>
      this.hub.publish('log', { level, message, operation, operationId: id });
    const turn = this.tail.then(async () => {
      activity('info', `${operation} started`);
      try {
        const result = await run(sink);
        activity('info', `${operation} finished`);
        return result;
      } catch (err) {
        const reason = isGuildhallError(err)
          ? redact(err.message, await this.secrets())
          : 'unexpected error';
        activity('error', `${operation} failed: ${reason}`);
        throw err;
      }
    });
    this.tail = turn.catch(() => {});
    return turn;
  }
}
