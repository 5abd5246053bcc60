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

const common = { json: { type: 'boolean' }, plain: { type: 'boolean' } } as const;

/** The flag values parseArgs returns for an options table: booleans and strings, each optional. */
export type FlagsOf<O extends Options> = {
  [K in keyof O]?: O[K] extends { type: 'boolean' } ? boolean : string;
};

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

/**
 * A command whose runner gets its flags typed from its own options table, so a flag the table
 * does not declare, or declares with another type, fails to compile.
 */
function command<const O extends Options>(
  options: O,
  load: () => Promise<
    (core: Core, io: CliIO, positionals: string[], flags: FlagsOf<O>) => Promise<number>
  >,
): Command {
  // parseArgs, given exactly `options` (strict), returns values of FlagsOf<O>'s shape.
  return { options, load: load as () => Promise<CommandRunner> };
}

const cluster = () => import('./commands/cluster');
const queueCommands = () => import('./commands/queue-commands');

export const COMMANDS: Record<string, Command> = {
  up: command(
    {
      ...common,
      workers: { type: 'string' },
      'redis-port': { type: 'string' },
      'no-wait': { type: 'boolean' },
    },
    async () => {
      const { upCommand } = await cluster();
      return (core, io, _p, flags) => upCommand(core, io, flags);
    },
  ),
  down: command({ ...common, volumes: { type: 'boolean' } }, async () => {
    const { downCommand } = await cluster();
    return (core, io, _p, flags) => downCommand(core, io, flags);
  }),
  status: command({ ...common }, async () => {
    const { statusCommand } = await cluster();
    return (core, io, _p, flags) => statusCommand(core, io, flags);
  }),
  scale: command({ ...common }, async () => {
    const { scaleCommand } = await import('./commands/pools');
    return (core, io, p, flags) => scaleCommand(core, io, p, flags);
  }),
  pools: command({ ...common }, async () => {
    const { poolsCommand } = await import('./commands/pools');
    return (core, io, _p, flags) => poolsCommand(core, io, flags);
  }),
  logs: command({ follow: { type: 'boolean', short: 'f' }, tail: { type: 'string' } }, async () => {
    const { logsCommand } = await cluster();
    return (core, io, p, flags) => logsCommand(core, io, p[0], flags);
  }),
  connect: command({}, async () => {
    const { connectCommand } = await cluster();
    return (core, io) => connectCommand(core, io);
  }),
  image: command({ ...common }, async () => {
    const { imageCommand } = await import('./commands/image');
    return (core, io, p, flags) => imageCommand(core, io, p, flags);
  }),
  apply: command(
    { ...common, 'dry-run': { type: 'boolean' } },
    async () => (await import('./commands/apply')).runApply,
  ),
  spec: command(
    { json: { type: 'boolean' } },
    async () => (await import('./commands/apply')).runSpec,
  ),
  export: command(
    { namespace: { type: 'string' }, keda: { type: 'boolean' }, out: { type: 'string' } },
    async () => (await import('./commands/export-kubernetes')).runExport,
  ),
  queues: command({ json: { type: 'boolean' } }, async () => (await queueCommands()).runQueues),
  jobs: command(
    { json: { type: 'boolean' }, state: { type: 'string' }, count: { type: 'string' } },
    async () => (await queueCommands()).runJobs,
  ),
  job: command({ json: { type: 'boolean' } }, async () => (await queueCommands()).runJob),
  add: command(
    {
      json: { type: 'boolean' },
      name: { type: 'string' },
      attempts: { type: 'string' },
      delay: { type: 'string' },
      priority: { type: 'string' },
    },
    async () => (await queueCommands()).runAdd,
  ),
  cancel: command(
    { json: { type: 'boolean' } },
    async () => (await import('./commands/job-controls')).runCancel,
  ),
  retry: command(
    { json: { type: 'boolean' }, all: { type: 'boolean' } },
    async () => (await import('./commands/job-actions')).runRetry,
  ),
  clean: command(
    {
      json: { type: 'boolean' },
      state: { type: 'string' },
      grace: { type: 'string' },
      limit: { type: 'string' },
    },
    async () => (await import('./commands/job-actions')).runClean,
  ),
  limits: command(
    { json: { type: 'boolean' }, concurrency: { type: 'string' }, rate: { type: 'string' } },
    async () => (await import('./commands/job-controls')).runLimits,
  ),
  search: command(
    {
      json: { type: 'boolean' },
      state: { type: 'string' },
      text: { type: 'string' },
      path: { type: 'string' },
      value: { type: 'string' },
      limit: { type: 'string' },
    },
    async () => (await import('./commands/search')).runSearch,
  ),
  schedules: command(
    { json: { type: 'boolean' } },
    async () => (await import('./commands/schedules')).runSchedules,
  ),
  schedule: command(
    {
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
    async () => (await import('./commands/schedules')).runSchedule,
  ),
  flows: command(
    { json: { type: 'boolean' } },
    async () => (await import('./commands/flows')).runFlows,
  ),
  flow: command(
    { json: { type: 'boolean' } },
    async () => (await import('./commands/flows')).runFlow,
  ),
  secret: command(
    { json: { type: 'boolean' } },
    async () => (await import('./commands/secret')).runSecret,
  ),
  config: command(
    { json: { type: 'boolean' } },
    async () => (await import('./commands/config')).runConfig,
  ),
  doctor: command(
    {
      ...common,
      bundle: { type: 'string' },
      fix: { type: 'string' },
      confirm: { type: 'string' },
      file: { type: 'string' },
    },
    async () => (await import('./commands/doctor')).runDoctor,
  ),
  console: command(
    { port: { type: 'string' }, 'metrics-port': { type: 'string' } },
    async () => (await import('./commands/console')).runConsole,
  ),
  audit: command(
    {
      json: { type: 'boolean' },
      verify: { type: 'boolean' },
      since: { type: 'string' },
      until: { type: 'string' },
      face: { type: 'string' },
      action: { type: 'string' },
      target: { type: 'string' },
      limit: { type: 'string' },
    },
    async () => (await import('./commands/audit')).runAudit,
  ),
  metrics: command(
    { port: { type: 'string' }, 'token-file': { type: 'string' } },
    async () => (await import('./commands/metrics')).runMetrics,
  ),
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
