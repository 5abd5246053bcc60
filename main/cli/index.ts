#!/usr/bin/env node
/** The `guildhall` command: parses arguments, runs a command, maps errors to exit codes. */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import type { Core } from '../core';
import { appVersion } from '../version';
import { isGuildhallError } from '../util/errors';
import { redact } from '../util/redact';
import { runAudited } from './audited-commands';
import { EXIT, exitCodeFor } from './exit-codes';
import { processIO, type CliIO } from './io';
import { USAGE } from './usage';

type Options = NonNullable<ParseArgsConfig['options']>;

const common: Options = { json: { type: 'boolean' }, plain: { type: 'boolean' } };

export type CommandRunner = (
  core: Core,
  io: CliIO,
  positionals: string[],
  flags: Record<string, unknown>,
) => Promise<number>;

interface Command {
  options: Options;
  /** Loaded on use, so a command does not pay for the others' dependencies at start-up. */
  load(): Promise<CommandRunner>;
}

type Flags = Record<string, never>;
const cluster = () => import('./commands/cluster');
const queueCommands = () => import('./commands/queue-commands');

export const COMMANDS: Record<string, Command> = {
  up: {
    options: {
      ...common,
      workers: { type: 'string' },
      'redis-port': { type: 'string' },
      'no-wait': { type: 'boolean' },
    },
    load: async () => {
      const { upCommand } = await cluster();
      return (core, io, _p, flags) => upCommand(core, io, flags as Flags);
    },
  },
  down: {
    options: { ...common, volumes: { type: 'boolean' } },
    load: async () => {
      const { downCommand } = await cluster();
      return (core, io, _p, flags) => downCommand(core, io, flags as Flags);
    },
  },
  status: {
    options: { ...common },
    load: async () => {
      const { statusCommand } = await cluster();
      return (core, io, _p, flags) => statusCommand(core, io, flags as Flags);
    },
  },
  scale: {
    options: { ...common },
    load: async () => {
      const { scaleCommand } = await cluster();
      return (core, io, p, flags) => scaleCommand(core, io, p[0], flags as Flags);
    },
  },
  logs: {
    options: { follow: { type: 'boolean', short: 'f' }, tail: { type: 'string' } },
    load: async () => {
      const { logsCommand } = await cluster();
      return (core, io, p, flags) => logsCommand(core, io, p[0], flags as Flags);
    },
  },
  connect: {
    options: {},
    load: async () => {
      const { connectCommand } = await cluster();
      return (core, io) => connectCommand(core, io);
    },
  },
  image: {
    options: { ...common },
    load: async () => {
      const { imageCommand } = await import('./commands/image');
      return (core, io, p, flags) => imageCommand(core, io, p, flags as Flags);
    },
  },
  queues: {
    options: { json: { type: 'boolean' } },
    load: async () => (await queueCommands()).runQueues,
  },
  jobs: {
    options: { json: { type: 'boolean' }, state: { type: 'string' }, count: { type: 'string' } },
    load: async () => (await queueCommands()).runJobs,
  },
  job: {
    options: { json: { type: 'boolean' } },
    load: async () => (await queueCommands()).runJob,
  },
  add: {
    options: {
      json: { type: 'boolean' },
      name: { type: 'string' },
      attempts: { type: 'string' },
      delay: { type: 'string' },
      priority: { type: 'string' },
    },
    load: async () => (await queueCommands()).runAdd,
  },
  config: {
    options: { json: { type: 'boolean' } },
    load: async () => (await import('./commands/config')).runConfig,
  },
  cancel: {
    options: { json: { type: 'boolean' } },
    load: async () => (await import('./commands/job-controls')).runCancel,
  },
  limits: {
    options: {
      json: { type: 'boolean' },
      concurrency: { type: 'string' },
      rate: { type: 'string' },
    },
    load: async () => (await import('./commands/job-controls')).runLimits,
  },
  schedules: {
    options: { json: { type: 'boolean' } },
    load: async () => (await import('./commands/schedules')).runSchedules,
  },
  schedule: {
    options: {
      json: { type: 'boolean' },
      cron: { type: 'string' },
      every: { type: 'string' },
      tz: { type: 'string' },
      name: { type: 'string' },
      id: { type: 'string' },
      data: { type: 'string' },
      limit: { type: 'string' },
      attempts: { type: 'string' },
      start: { type: 'string' },
      end: { type: 'string' },
      queue: { type: 'string' },
    },
    load: async () => (await import('./commands/schedules')).runSchedule,
  },
  flows: {
    options: { json: { type: 'boolean' } },
    load: async () => (await import('./commands/flows')).runFlows,
  },
  flow: {
    options: { json: { type: 'boolean' } },
    load: async () => (await import('./commands/flows')).runFlow,
  },
  search: {
    options: {
      json: { type: 'boolean' },
      state: { type: 'string' },
      text: { type: 'string' },
      path: { type: 'string' },
      value: { type: 'string' },
      limit: { type: 'string' },
    },
    load: async () => (await import('./commands/search')).runSearch,
  },
  doctor: {
    options: {
      ...common,
      bundle: { type: 'string' },
      fix: { type: 'string' },
      confirm: { type: 'string' },
      file: { type: 'string' },
    },
    load: async () => (await import('./commands/doctor')).runDoctor,
  },
  console: {
    options: { port: { type: 'string' }, 'metrics-port': { type: 'string' } },
    load: async () => (await import('./commands/console')).runConsole,
  },
  retry: {
    options: { json: { type: 'boolean' }, all: { type: 'boolean' } },
    load: async () => (await import('./commands/job-actions')).runRetry,
  },
  clean: {
    options: {
      json: { type: 'boolean' },
      state: { type: 'string' },
      grace: { type: 'string' },
      limit: { type: 'string' },
    },
    load: async () => (await import('./commands/job-actions')).runClean,
  },
  audit: {
    options: {
      json: { type: 'boolean' },
      verify: { type: 'boolean' },
      since: { type: 'string' },
      until: { type: 'string' },
      face: { type: 'string' },
      action: { type: 'string' },
      target: { type: 'string' },
      limit: { type: 'string' },
    },
    load: async () => (await import('./commands/audit')).runAudit,
  },
  metrics: {
    options: { port: { type: 'string' }, 'token-file': { type: 'string' } },
    load: async () => (await import('./commands/metrics')).runMetrics,
  },
};

export async function runCli(argv: string[], io: CliIO = processIO, core?: Core): Promise<number> {
  const [command, ...rest] = argv;
  if (!command || command === 'help' || command === '--help' || command === '-h') {
    io.stdout.write(`${USAGE}\n`);
    return command ? EXIT.ok : EXIT.usage;
  }
  if (command === '--version' || command === 'version') {
    io.stdout.write(`${appVersion()}\n`);
    return EXIT.ok;
  }
  const entry = COMMANDS[command];
  if (!entry) {
    io.stderr.write(
      `guildhall: unknown command "${command}". Run \`guildhall help\` for the list.\n`,
    );
    return EXIT.usage;
  }
  let parsed: { values: Record<string, unknown>; positionals: string[] };
  try {
    parsed = parseArgs({
      args: rest,
      options: entry.options,
      allowPositionals: true,
      strict: true,
    });
  } catch (err) {
    io.stderr.write(
      `guildhall ${command}: ${(err as Error).message.split('\n')[0]} Run \`guildhall help\`.\n`,
    );
    return EXIT.usage;
  }
  const runningCore = core ?? (await defaultCore());
  try {
    const run = await entry.load();
    return await runAudited(runningCore, command, parsed.positionals, parsed.values, () =>
      run(runningCore, io, parsed.positionals, parsed.values),
    );
  } catch (err) {
    return reportError(io, err, parsed.values.json === true);
  }
}

async function defaultCore(): Promise<Core> {
  const { createCore, defaultWorkerContextDir } = await import('../core');
  return createCore({
    version: appVersion(),
    workerContextDir:
      process.env.GUILDHALL_WORKER_CONTEXT ??
      defaultWorkerContextDir(path.dirname(fileURLToPath(import.meta.url))),
  });
}

function reportError(io: CliIO, err: unknown, json: boolean): number {
  if (isGuildhallError(err)) {
    if (json) io.stdout.write(`${JSON.stringify({ error: err.toJSON() })}\n`);
    io.stderr.write(`guildhall: ${err.message}\n`);
    if (err.hint) io.stderr.write(`  fix: ${err.hint}\n`);
    return exitCodeFor(err.code);
  }
  const message = redact((err as Error)?.stack ?? String(err), []);
  io.stderr.write(
    `guildhall: unexpected error: ${message.split('\n')[0]}\n  Please report it with the output of \`guildhall doctor --bundle guildhall-support.zip\`.\n`,
  );
  return EXIT.failure;
}

function isEntryModule(): boolean {
  if (!process.argv[1]) return false;
  try {
    return fs.realpathSync(process.argv[1]) === fs.realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

const isEntry = isEntryModule();
if (isEntry) {
  runCli(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
      // A one-shot command is finished: exit once its output is flushed, without waiting for
      // idle keep-alive sockets to time out.
      process.stdout.write('', () => process.stderr.write('', () => process.exit(code)));
    },
    (err: unknown) => {
      process.stderr.write(`guildhall: ${(err as Error).message}\n`);
      process.exitCode = EXIT.failure;
    },
  );
}
