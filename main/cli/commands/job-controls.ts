/**
 * `cancel <queue> <id>` (abort a running job in its worker) and `limits [<queue>]` (show or set
 * a queue's global concurrency and rate limit), over main/queues/job-controls.ts.
 */
import type { Core } from '../../core';
import { JobControls, type QueueLimits, type SetLimitsInput } from '../../queues/job-controls';
import { recordQueueLimits } from '../../queues/queue-limits-spec';
import type { CliIO } from '../io';
import { EXIT } from '../exit-codes';
import type { CommandRunner } from '../index';
import { table } from './queues';
import { intFlag, usageError, withToolkit } from './queue-toolkit-access';

export const runCancel: CommandRunner = (core, io, positionals, flags) => {
  const [queue, id] = positionals;
  if (!queue || !id)
    throw usageError('cancel needs a queue and a job id.', 'guildhall cancel shell 42');
  return withToolkit(core, async (kit) => {
    const result = await new JobControls(kit).cancel({ queue, id });
    if (flags.json === true) io.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    else
      io.stdout.write(
        `Cancelled job ${result.id} of queue ${result.queue}: it is ${result.state}` +
          `${result.failedReason ? ` (${result.failedReason})` : ''}.\n`,
      );
    return EXIT.ok;
  });
};

export const runLimits: CommandRunner = (core, io, positionals, flags) => {
  const [queue] = positionals;
  const change = limitsChange(flags);
  if (!queue && change) {
    throw usageError('limits needs a queue to change.', 'guildhall limits shell --concurrency 1');
  }
  return withLimits(core, io, flags.json === true, async (controls) => {
    if (queue && change) {
      const limits = await controls.setLimits({ queue, ...change });
      await recordQueueLimits(core.settings, limits);
      return [limits];
    }
    if (queue) return [await controls.getLimits(queue)];
    return controls.listLimits();
  });
};

async function withLimits(
  core: Core,
  io: CliIO,
  json: boolean,
  read: (controls: JobControls) => Promise<QueueLimits[]>,
): Promise<number> {
  return withToolkit(core, async (kit) => {
    const limits = await read(new JobControls(kit));
    if (json) io.stdout.write(`${JSON.stringify(limits, null, 2)}\n`);
    else io.stdout.write(formatLimits(limits));
    return EXIT.ok;
  });
}

/** `--concurrency N|none` and `--rate MAX/MS|none`; undefined when neither is given. */
function limitsChange(flags: Record<string, unknown>): Omit<SetLimitsInput, 'queue'> | undefined {
  const change: Omit<SetLimitsInput, 'queue'> = {};
  if (flags.concurrency !== undefined) {
    change.concurrency =
      flags.concurrency === 'none' ? null : intFlag('--concurrency', flags.concurrency, 1, 10_000);
  }
  if (flags.rate !== undefined) {
    const text = String(flags.rate);
    if (text === 'none') change.rateLimit = null;
    else {
      const match = /^(\d+)\/(\d+)$/.exec(text);
      if (!match) {
        throw usageError(
          `--rate must be MAX/MILLISECONDS (at most MAX jobs per MILLISECONDS) or "none", not "${text}".`,
          'guildhall limits http --rate 10/1000',
        );
      }
      change.rateLimit = {
        max: intFlag('--rate MAX', match[1], 1, 1_000_000) ?? 1,
        durationMs: intFlag('--rate MILLISECONDS', match[2], 1, 86_400_000) ?? 1,
      };
    }
  }
  return Object.keys(change).length === 0 ? undefined : change;
}

export function formatLimits(limits: readonly QueueLimits[]): string {
  return table(
    ['QUEUE', 'GLOBAL CONCURRENCY', 'RATE LIMIT'],
    limits.map((l) => [
      l.queue,
      l.concurrency === null ? 'unlimited' : String(l.concurrency),
      l.rateLimit === null ? 'unlimited' : `${l.rateLimit.max} per ${l.rateLimit.durationMs} ms`,
    ]),
  );
}
