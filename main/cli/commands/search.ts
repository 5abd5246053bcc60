/**
 * `search <queue> [--state S] (--text T | --path P --value JSON) [--limit N] [--json]`: jobs whose
 * data holds a substring (case-insensitive) or has a JSON path equal to a value, printed page
 * by page as they are found, up to --limit matches (main/queues/job-search.ts).
 */
import { JobSearch, type SearchJobsInput } from '../../queues/job-search';
import { jobStates, type JobStateName } from '../../queues/queue-types';
import { EXIT } from '../exit-codes';
import type { CommandRunner } from '../index';
import { formatJobsTable } from './queues';
import { intFlag, usageError, withToolkit } from './queue-toolkit-access';

const EXAMPLE = `guildhall search orders --state completed --path user.id --value '"u-42"'`;

export const runSearch: CommandRunner = (core, io, positionals, flags) => {
  const [queue] = positionals;
  if (!queue) throw usageError('search needs a queue.', EXAMPLE);
  const state = String(flags.state ?? 'completed');
  if (!(jobStates as readonly string[]).includes(state)) {
    throw usageError(`Unknown job state "${state}"; use one of: ${jobStates.join(', ')}.`, EXAMPLE);
  }
  const limit = intFlag('--limit', flags.limit, 1, 100_000) ?? 50;
  const base: SearchJobsInput = {
    queue,
    state: state as JobStateName,
    ...(typeof flags.text === 'string' ? { text: flags.text } : {}),
    ...(typeof flags.path === 'string' ? { path: flags.path } : {}),
    ...(typeof flags.value === 'string' ? { value: flags.value } : {}),
  };
  return withToolkit(core, async (kit) => {
    const search = new JobSearch(kit);
    let found = 0;
    let scanned = 0;
    let cursor: number | null = 0;
    let total = 0;
    while (cursor !== null && found < limit) {
      const page = await search.search({ ...base, cursor, limit: Math.min(500, limit - found) });
      found += page.matches.length;
      scanned += page.scanned;
      total = page.total;
      cursor = page.cursor;
      if (flags.json === true) {
        for (const job of page.matches) io.stdout.write(`${JSON.stringify(job)}\n`);
      } else if (page.matches.length > 0) {
        io.stdout.write(formatJobsTable(page.matches));
      }
    }
    if (flags.json !== true) {
      io.stdout.write(
        `${found} match${found === 1 ? '' : 'es'} among ${scanned} of ${total} ${state} job(s) in queue ${queue}` +
          `${cursor === null ? '' : ' (stopped at --limit)'}.\n`,
      );
    }
    return found > 0 ? EXIT.ok : EXIT.notFound;
  });
};
