/**
 * Opens the cluster's queues for one CLI command and closes them after, handing the command the
 * QueuesService toolkit the job controls, schedules and flows are built on. Errors propagate to
 * the dispatcher (index.ts), which prints them with their hint and exit code.
 */
import { CurrentQueues } from '../../queues/current-queues';
import type { Core } from '../../core';
import type { QueueToolkit } from '../../queues/queue-toolkit';
import { GuildhallError } from '../../util/errors';

export async function withToolkit<T>(
  core: Core,
  run: (kit: QueueToolkit) => Promise<T>,
): Promise<T> {
  const access = new CurrentQueues(core);
  try {
    return await run((await access.get()).toolkit());
  } finally {
    await access.close();
  }
}

/** A whole number flag within bounds, or undefined when absent. */
export function intFlag(
  flag: string,
  value: unknown,
  min: number,
  max: number,
): number | undefined {
  if (value === undefined) return undefined;
  const text = String(value);
  const n = Number(text);
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(n) || n < min || n > max) {
    throw new GuildhallError(
      'invalid-input',
      `${flag} must be a whole number from ${min} to ${max}, not "${text}".`,
      `Example: ${flag} ${min}`,
    );
  }
  return n;
}

export function usageError(message: string, example: string): GuildhallError {
  return new GuildhallError('invalid-input', message, `Example: ${example}`);
}
