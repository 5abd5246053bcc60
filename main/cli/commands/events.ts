/**
 * `guildhall events [--follow] [--json] [--limit N]`: what the cluster's supervisors did and
 * decided (recreated, restarted, backed off, scaled, held) and who took the lease, oldest first,
 * read from the cluster's Redis. --follow keeps printing new ones until Ctrl+C; --json prints
 * one JSON event per line.
 */
import type { Core } from '../../core';
import { formatEventLine } from '../../supervisor/event-text';
import type { LoggedEvent } from '../../supervisor/event-log';
import { supervisorEvents, supervisorEventsAfter } from '../../supervisor/supervisor-status';
import { EXIT } from '../exit-codes';
import type { CliIO } from '../io';
import { parseCount } from './cluster';

const FOLLOW_EVERY_MS = 1_000;

export async function runEvents(
  core: Core,
  io: CliIO,
  _positionals: string[],
  flags: { json?: boolean; follow?: boolean; limit?: string },
): Promise<number> {
  const limit = parseCount('--limit', flags.limit, 1, 1000) ?? 50;
  const print = (events: LoggedEvent[]) => {
    for (const { event } of events)
      io.stdout.write(`${flags.json ? JSON.stringify(event) : formatEventLine(event)}\n`);
  };
  const first = await supervisorEvents(core, limit);
  if (first.length === 0 && !flags.follow && !flags.json) {
    io.stdout.write(
      'No supervisor events yet (the supervisor records what it does: see `guildhall status`).\n',
    );
  }
  print(first);
  if (!flags.follow) return EXIT.ok;
  let last = first.at(-1)?.id ?? '0-0';
  let stopped = false;
  let wake: (() => void) | null = null;
  io.onInterrupt(() => {
    stopped = true;
    wake?.();
  });
  while (!stopped) {
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, FOLLOW_EVERY_MS);
      wake = () => (clearTimeout(timer), resolve());
    });
    if (stopped) break;
    // Redis away (a restart): keep waiting, the next read catches up.
    const next = await supervisorEventsAfter(core, last).catch(() => []);
    print(next);
    last = next.at(-1)?.id ?? last;
  }
  return EXIT.ok;
}
