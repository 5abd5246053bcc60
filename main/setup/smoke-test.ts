/**
 * The setup wizard's smoke test: one real job through the cluster. It adds an `echo` job with a
 * random token, waits until a worker completed it and checks the token came back — Redis,
 * BullMQ and a worker each did their part. Answers with the round-trip time.
 */
import { randomBytes } from 'node:crypto';
import type { JobDetail } from '../queues/queue-types';
import type { QueuesService } from '../queues/queues-service';
import { GuildhallError } from '../util/errors';

export const SMOKE_QUEUE = 'echo';
export const SMOKE_JOB_NAME = 'guildhall-smoke-test';
export const DEFAULT_SMOKE_TIMEOUT_MS = 30_000;
const POLL_MS = 50;

export interface SmokeTestResult {
  queue: string;
  jobId: string;
  /** From adding the job to seeing it completed, as the caller saw it. */
  roundTripMs: number;
  /** From a worker picking it up to it finishing, as BullMQ recorded it. */
  processingMs: number | null;
  /** From adding to a worker picking it up. */
  waitMs: number | null;
}

export interface SmokeTestOptions {
  timeoutMs?: number;
  /** Queues the workers consume (empty = every built-in queue). */
  workerQueues?: readonly string[];
  now?: () => number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function echoed(detail: JobDetail, token: string): boolean {
  const value = detail.returnvalue as { token?: unknown } | null | undefined;
  return typeof value === 'object' && value !== null && value.token === token;
}

export async function runSmokeTest(
  queues: Pick<QueuesService, 'addJob' | 'getJob'>,
  options: SmokeTestOptions = {},
): Promise<SmokeTestResult> {
  const now = options.now ?? Date.now;
  const timeoutMs = options.timeoutMs ?? DEFAULT_SMOKE_TIMEOUT_MS;
  if (options.workerQueues?.length && !options.workerQueues.includes(SMOKE_QUEUE)) {
    throw new GuildhallError(
      'invalid-input',
      `The workers do not consume the "${SMOKE_QUEUE}" queue, so the test job would never run.`,
      `Add "${SMOKE_QUEUE}" to the worker queues in Settings, or leave the list empty for every built-in queue.`,
    );
  }
  const token = randomBytes(8).toString('hex');
  const started = now();
  const added = await queues.addJob({
    queue: SMOKE_QUEUE,
    name: SMOKE_JOB_NAME,
    data: { token, from: 'setup wizard' },
  });
  const deadline = started + timeoutMs;
  for (;;) {
    const detail = await queues.getJob(SMOKE_QUEUE, added.id);
    if (detail.state === 'completed') {
      const roundTripMs = now() - started;
      if (!echoed(detail, token)) {
        throw new GuildhallError(
          'internal',
          `The test job ${added.id} completed but did not return what it was given.`,
          'The workers may run an outdated image: rebuild it (Troubleshooting → Build the worker image).',
        );
      }
      const { processedOn, finishedOn, timestamp } = detail;
      return {
        queue: SMOKE_QUEUE,
        jobId: added.id,
        roundTripMs,
        processingMs: processedOn !== null && finishedOn !== null ? finishedOn - processedOn : null,
        waitMs: processedOn !== null ? Math.max(0, processedOn - timestamp) : null,
      };
    }
    if (detail.state === 'failed') {
      throw new GuildhallError(
        'internal',
        `The test job ${added.id} failed: ${detail.failedReason ?? 'no reason given'}.`,
        'Open Troubleshooting to check the workers, then run the test again.',
      );
    }
    if (now() > deadline) {
      throw new GuildhallError(
        'timeout',
        `No worker finished the test job ${added.id} within ${Math.round(timeoutMs / 1000)} s (it is ${detail.state}).`,
        'Check that workers are running (Workers page or `guildhall status`), then run the test again.',
      );
    }
    await sleep(POLL_MS);
  }
}
