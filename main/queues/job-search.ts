/**
 * Searching jobs by their data, over one queue and state: a case-insensitive substring of the
 * data's JSON, or a JSON path equal to a value. Redis does the matching (a Lua script over a
 * chunk of job ids, so job data never crosses the wire), chunk after chunk from a cursor until a
 * chunk yields matches (at most `limit`), the state is exhausted or the time budget is spent. The caller
 * continues from `cursor` for the next page, and cancels by not asking again.
 *
 *   let page = await new JobSearch(kit).search({ queue: 'orders', state: 'completed', path: 'user.id', value: '42' });
 *   while (page.cursor !== null) page = await search.search({ ...request, cursor: page.cursor });
 */
import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { z } from 'zod';
import { GuildhallError } from '../util/errors';
import { asBullmqTypes, toJobSummary } from './job-views';
import { parseInput, queueRefSchema } from './queue-inputs';
import type { QueueToolkit } from './queue-toolkit';
import { jobStates, type JobStateName, type JobSummary } from './queue-types';

/** Job ids matched per Lua call: short enough not to hold Redis up (a few ms each). */
export const SEARCH_CHUNK = 1_000;
export const DEFAULT_SEARCH_BUDGET_MS = 2_000;

const MATCH_SCRIPT = `
local prefix, mode, needle, expected = ARGV[1], ARGV[2], ARGV[3], ARGV[4]
local matches = {}
local wanted, segments = nil, {}
if mode == 'path' then
  wanted = cjson.decode(expected)
  for part in string.gmatch(needle, '[^%.]+') do table.insert(segments, part) end
else
  needle = string.lower(needle)
end
for i = 5, #ARGV do
  local id = ARGV[i]
  local data = redis.call('HGET', prefix .. id, 'data')
  if data then
    if mode == 'text' then
      if string.find(string.lower(data), needle, 1, true) then table.insert(matches, id) end
    else
      local ok, value = pcall(cjson.decode, data)
      if ok then
        for _, part in ipairs(segments) do
          if type(value) ~= 'table' then value = nil break end
          local nextValue = value[part]
          if nextValue == nil and tonumber(part) then nextValue = value[tonumber(part) + 1] end
          value = nextValue
          if value == nil then break end
        end
        if value ~= nil and type(value) == type(wanted) then
          if type(value) == 'table' then
            if cjson.encode(value) == cjson.encode(wanted) then table.insert(matches, id) end
          elseif value == wanted then
            table.insert(matches, id)
          end
        end
      end
    end
  end
end
return matches
`;

export const searchJobsInputSchema = z
  .strictObject({
    queue: queueRefSchema,
    state: z.enum(jobStates, { error: `state must be one of: ${jobStates.join(', ')}` }),
    text: z
      .string({ error: 'text must be a string' })
      .min(1, { error: 'text must not be empty' })
      .max(200, { error: 'text must be at most 200 characters' })
      .optional(),
    path: z
      .string({ error: 'path must be a string' })
      .regex(/^[^.\s]+(\.[^.\s]+)*$/, {
        error: 'path must be field names joined by dots, e.g. user.id or items.0.sku',
      })
      .max(200, { error: 'path must be at most 200 characters' })
      .optional(),
    /** JSON text of the value the path must equal: "abc" (quoted), 42, true, null, {...}. */
    value: z.string({ error: 'value must be JSON text' }).max(2_000).optional(),
    cursor: z.number().int().min(0, { error: 'cursor must be 0 or more' }).default(0),
    limit: z.number().int().min(1).max(500, { error: 'limit must be at most 500' }).default(50),
    budgetMs: z.number().int().min(50).max(30_000).default(DEFAULT_SEARCH_BUDGET_MS),
  })
  .superRefine((input, ctx) => {
    if ((input.text === undefined) === (input.path === undefined)) {
      ctx.addIssue({
        code: 'custom',
        path: ['text'],
        message:
          'give text (a substring of the data) or path with value (a field equal to a value), not both',
      });
    }
    if (input.path !== undefined && input.value === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['value'],
        message: 'value is needed with path (JSON, e.g. "abc" or 42)',
      });
    }
  });
export type SearchJobsInput = z.input<typeof searchJobsInputSchema>;

export interface JobSearchPage {
  queue: string;
  state: JobStateName;
  /** Jobs in the state when the search started this page. */
  total: number;
  /** Position to continue from, or null when every job of the state was examined. */
  cursor: number | null;
  /** Jobs examined for this page. */
  scanned: number;
  matches: JobSummary[];
  elapsedMs: number;
  /** True when the page ended because its time budget ran out. */
  timedOut: boolean;
}

type MatchCommand = (
  prefix: string,
  mode: string,
  needle: string,
  expected: string,
  ...ids: string[]
) => Promise<string[]>;

export class JobSearch {
  constructor(private readonly kit: QueueToolkit) {}

  search(input: SearchJobsInput): Promise<JobSearchPage> {
    return this.kit.guard(`search jobs of queue "${String(input?.queue)}"`, async () => {
      const request = parseInput(searchJobsInputSchema, input, 'job search');
      if (request.value !== undefined) checkJsonValue(request.value);
      const queue = await this.kit.existingQueue(request.queue);
      const started = this.kit.now();
      const total = await queue.getJobCountByTypes(...asBullmqTypes(request.state));
      const match = matchCommand(this.kit.redis);
      const mode = request.text !== undefined ? 'text' : 'path';
      const needle = request.text ?? request.path ?? '';
      const found: string[] = [];
      let cursor = request.cursor;
      let timedOut = false;
      while (cursor < total && found.length < request.limit) {
        if (this.kit.now() - started >= request.budgetMs) {
          timedOut = true;
          break;
        }
        const ids = await queue.getRanges(
          asBullmqTypes(request.state),
          cursor,
          cursor + SEARCH_CHUNK - 1,
          false,
        );
        if (ids.length === 0) break;
        const matched = await match(queue.toKey(''), mode, needle, request.value ?? 'null', ...ids);
        // A full page ends mid-chunk: continue right after the last match taken.
        const room = request.limit - found.length;
        if (matched.length > room) {
          found.push(...matched.slice(0, room));
          cursor += ids.indexOf(matched[room - 1] ?? '') + 1;
          break;
        }
        found.push(...matched);
        cursor += ids.length;
        // Matches go out as soon as a chunk yields some: the first result shows at once.
        if (found.length > 0) break;
      }
      return {
        queue: request.queue,
        state: request.state,
        total,
        cursor: cursor >= total ? null : cursor,
        scanned: cursor - request.cursor,
        matches: await summaries(queue, found, request.state),
        elapsedMs: this.kit.now() - started,
        timedOut,
      };
    });
  }
}

function matchCommand(redis: Redis): MatchCommand {
  const named = redis as unknown as { guildhallMatchJobs?: MatchCommand };
  if (typeof named.guildhallMatchJobs !== 'function') {
    redis.defineCommand('guildhallMatchJobs', { numberOfKeys: 0, lua: MATCH_SCRIPT });
  }
  return (named.guildhallMatchJobs as MatchCommand).bind(redis);
}

function checkJsonValue(text: string): void {
  try {
    JSON.parse(text);
  } catch {
    throw new GuildhallError(
      'invalid-input',
      `value ${JSON.stringify(text)} is not JSON.`,
      'Quote strings ("abc"); numbers, true, false and null go as they are.',
      { field: 'value' },
    );
  }
}

async function summaries(queue: Queue, ids: string[], state: JobStateName): Promise<JobSummary[]> {
  const jobs = await Promise.all(ids.map((id) => queue.getJob(id)));
  return jobs
    .filter((job) => job !== undefined && job !== null)
    .map((job) => toJobSummary(job, queue.name, state));
}
