/** Runs `queues`, `jobs`, `job` and `add` (pure adapters in queues.ts) against the cluster's Redis. */
import type { Core } from '../../core';
import { CurrentQueues } from '../../queues/current-queues';
import { jobStates, type JobStateName } from '../../queues/queue-types';
import { GuildhallError } from '../../util/errors';
import type { CommandRunner } from '../index';
import type { CliIO } from '../io';
import { parseCount } from './cluster';
import { addCommand, jobCommand, jobsCommand, queuesCommand, type CommandOutput } from './queues';

async function withQueues(
  core: Core,
  io: CliIO,
  json: boolean,
  run: (access: CurrentQueues) => Promise<CommandOutput>,
): Promise<number> {
  const access = new CurrentQueues(core);
  try {
    const result = await run(access);
    if (result.error && !json) {
      io.stderr.write(`guildhall: ${result.error.message}\n`);
      if (result.error.hint) io.stderr.write(`  fix: ${result.error.hint}\n`);
    } else io.stdout.write(result.output);
    return result.exitCode;
  } finally {
    await access.close();
  }
}

function stateOf(value: unknown): JobStateName | undefined {
  if (value === undefined) return undefined;
  if (!(jobStates as readonly string[]).includes(String(value))) {
    throw new GuildhallError(
      'invalid-input',
      `Unknown job state "${String(value)}".`,
      `Use one of: ${jobStates.join(', ')}.`,
    );
  }
  return value as JobStateName;
}

export const runQueues: CommandRunner = (core, io, _positionals, flags) =>
  withQueues(core, io, flags.json === true, async (access) =>
    queuesCommand(await access.get(), { json: flags.json === true }),
  );

export const runJobs: CommandRunner = (core, io, positionals, flags) => {
  const [queue] = positionals;
  if (!queue)
    throw new GuildhallError(
      'invalid-input',
      'jobs needs a queue name.',
      'Example: guildhall jobs echo (or: guildhall jobs echo --state failed)',
    );
  const state = stateOf(flags.state);
  const count = parseCount('--count', flags.count as string | undefined, 1, 1000);
  return withQueues(core, io, flags.json === true, async (access) =>
    jobsCommand(await access.get(), queue, { state, json: flags.json === true, count }),
  );
};

export const runJob: CommandRunner = (core, io, positionals, flags) => {
  const [queue, id] = positionals;
  if (!queue || !id)
    throw new GuildhallError(
      'invalid-input',
      'job needs a queue and a job id.',
      'Example: guildhall job echo 42 (ids are in `guildhall jobs echo`)',
    );
  return withQueues(core, io, flags.json === true, async (access) =>
    jobCommand(await access.get(), queue, id, { json: flags.json === true }),
  );
};

export const runAdd: CommandRunner = (core, io, positionals, flags) => {
  const [queue, data] = positionals;
  if (!queue || data === undefined) {
    throw new GuildhallError(
      'invalid-input',
      'add needs a queue and the job data as JSON.',
      `Example: guildhall add shell '{"command": ["echo", "hi"]}'`,
    );
  }
  const attempts = parseCount('--attempts', flags.attempts as string | undefined, 1, 100);
  const delay = parseCount('--delay', flags.delay as string | undefined, 0, 2 ** 31 - 1);
  const priority = parseCount('--priority', flags.priority as string | undefined, 0, 2_097_152);
  return withQueues(core, io, flags.json === true, async (access) =>
    addCommand(await access.get(), queue, data, {
      json: flags.json === true,
      ...(typeof flags.name === 'string' ? { name: flags.name } : {}),
      ...(attempts === undefined ? {} : { attempts }),
      ...(delay === undefined ? {} : { delay }),
      ...(priority === undefined ? {} : { priority }),
    }),
  );
};
