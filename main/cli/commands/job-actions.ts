/**
 * `guildhall retry <queue> <id>` / `guildhall retry <queue> --all` and `guildhall clean <queue>
 * --state S [--grace MS] [--limit N]`: the console's retry and clean for terminals, through
 * the same queues core (which checks the names and numbers again).
 */
import { CurrentQueues } from '../../queues/current-queues';
import type { Core } from '../../core';
import { GuildhallError } from '../../util/errors';
import { EXIT } from '../exit-codes';
import type { CommandRunner } from '../index';
import type { CliIO } from '../io';
import { parseCount } from './cluster';

async function withAccess(
  core: Core,
  io: CliIO,
  json: boolean,
  run: (access: CurrentQueues) => Promise<{ result: unknown; text: string }>,
): Promise<number> {
  const access = new CurrentQueues(core);
  try {
    const { result, text } = await run(access);
    io.stdout.write(json ? `${JSON.stringify(result)}\n` : `${text}\n`);
    return EXIT.ok;
  } finally {
    await access.close();
  }
}

export const runRetry: CommandRunner = (core, io, [queue, id], flags) => {
  const all = flags.all === true;
  if (!queue || (!id && !all) || (id && all)) {
    throw new GuildhallError(
      'invalid-input',
      'retry needs a queue and either a job id or --all.',
      'Example: guildhall retry shell 42   or   guildhall retry shell --all',
    );
  }
  return withAccess(core, io, flags.json === true, async (access) => {
    const queues = await access.get();
    if (all) {
      const result = await queues.retryAllFailed(queue);
      return { result, text: `${result.retried} failed job(s) of ${queue} moved back to waiting.` };
    }
    const result = await queues.retryJob(queue, id!);
    return { result, text: `Job ${id} of ${queue} retried.` };
  });
};

export const runClean: CommandRunner = (core, io, [queue], flags) => {
  if (!queue || typeof flags.state !== 'string') {
    throw new GuildhallError(
      'invalid-input',
      'clean needs a queue and --state.',
      'Example: guildhall clean shell --state completed --grace 3600000',
    );
  }
  const graceMs = parseCount('--grace', flags.grace as string | undefined, 0, 2 ** 31 - 1);
  const limit = parseCount('--limit', flags.limit as string | undefined, 1, 100_000);
  return withAccess(core, io, flags.json === true, async (access) => {
    const result = await (
      await access.get()
    ).cleanQueue({
      queue,
      state: flags.state as never,
      ...(graceMs === undefined ? {} : { graceMs }),
      ...(limit === undefined ? {} : { limit }),
    });
    return { result, text: `${result.removed} ${result.state} job(s) removed from ${queue}.` };
  });
};
