/** What a built-in processor gets besides its job. */
import type { Job } from 'bullmq';

export interface ProcessorContext {
  /** Aborted when the job is cancelled. */
  signal: AbortSignal | undefined;
  /** Appends one line to the job's log (bounded, batched). */
  logLine(line: string): void;
}

export type BuiltinProcessor = (job: Job, context: ProcessorContext) => Promise<unknown>;
