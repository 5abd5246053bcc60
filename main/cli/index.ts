#!/usr/bin/env node
/** The `guildhall` command: parses arguments, runs a command, maps errors to exit codes. */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { createCore, defaultWorkerContextDir, type Core } from '../core';
import { appVersion } from '../version';
import { GuildhallError, isGuildhallError } from '../util/errors';
import { redact } from '../util/redact';
import {
  connectCommand,
  downCommand,
  logsCommand,
  scaleCommand,
  statusCommand,
  upCommand,
} from './commands/cluster';
import { consoleCommand } from './commands/console';
import { doctorCommand } from './commands/doctor';
import { imageCommand } from './commands/image';
import { queueCommands } from './commands/queue-commands';
import { EXIT, exitCodeFor } from './exit-codes';
import { processIO, type CliIO } from './io';
import { USAGE } from './usage';

type Options = NonNullable<ParseArgsConfig['options']>;

const common: Options = { json: { type: 'boolean' }, plain: { type: 'boolean' } };

const COMMAND_OPTIONS: Record<string, Options> = {
  up: {
    ...common,
    workers: { type: 'string' },
    'redis-port': { type: 'string' },
    'no-wait': { type: 'boolean' },
  },
  down: { ...common, volumes: { type: 'boolean' } },
  status: { ...common },
  scale: { ...common },
  logs: { follow: { type: 'boolean', short: 'f' }, tail: { type: 'string' } },
  connect: {},
  image: { ...common },
};

export type CommandRunner = (
  core: Core,
  io: CliIO,
  positionals: string[],
  flags: Record<string, unknown>,
) => Promise<number>;

/** Commands added by other modules (queues, doctor, console) register here. */
export const extraCommands = new Map<string, { options: Options; run: CommandRunner }>();
// Registered here: a module registering itself would import this file and run before the Map exists.
extraCommands.set('console', consoleCommand);
extraCommands.set('doctor', doctorCommand);
for (const [name, command] of Object.entries(queueCommands)) extraCommands.set(name, command);

async function dispatch(
  core: Core,
  io: CliIO,
  command: string,
  positionals: string[],
  flags: Record<string, never>,
): Promise<number> {
  switch (command) {
    case 'up':
      return upCommand(core, io, flags);
    case 'down':
      return downCommand(core, io, flags);
    case 'status':
      return statusCommand(core, io, flags);
    case 'scale':
      return scaleCommand(core, io, positionals[0], flags);
    case 'logs':
      return logsCommand(core, io, positionals[0], flags);
    case 'connect':
      return connectCommand(core, io);
    case 'image':
      return imageCommand(core, io, positionals, flags);
  }
  const extra = extraCommands.get(command);
  if (extra) return extra.run(core, io, positionals, flags);
  throw new GuildhallError(
    'invalid-input',
    `Unknown command "${command}".`,
    'Run `guildhall help` for the list of commands.',
  );
}

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
  const options = COMMAND_OPTIONS[command] ?? extraCommands.get(command)?.options;
  if (!options) {
    io.stderr.write(
      `guildhall: unknown command "${command}". Run \`guildhall help\` for the list.\n`,
    );
    return EXIT.usage;
  }
  let parsed: { values: Record<string, unknown>; positionals: string[] };
  try {
    parsed = parseArgs({ args: rest, options, allowPositionals: true, strict: true });
  } catch (err) {
    io.stderr.write(
      `guildhall ${command}: ${(err as Error).message.split('\n')[0]} Run \`guildhall help\`.\n`,
    );
    return EXIT.usage;
  }
  const runningCore =
    core ??
    createCore({
      version: appVersion(),
      workerContextDir:
        process.env.GUILDHALL_WORKER_CONTEXT ??
        defaultWorkerContextDir(path.dirname(fileURLToPath(import.meta.url))),
    });
  try {
    return await dispatch(
      runningCore,
      io,
      command,
      parsed.positionals,
      parsed.values as Record<string, never>,
    );
  } catch (err) {
    return reportError(io, err, parsed.values.json === true);
  }
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
