/**
 * `queues`, `jobs`, `job` and `add`: pure adapters from the queues core to CLI output. They print
 * nothing themselves; the dispatcher writes `output` and exits with `exitCode`. Plain text is a
 * table without colours or cursor tricks (fit for pipes); `json` prints the core's objects.
 * `queues` lists the BullMQ queues (`kind: "bullmq"`) and, after them, the Celery queues the
 * custom pools watch (`kind: "celery"`, with their waiting count and pool).
 */
import type { QueuesService } from '../../queues/queues-service';
import type { AddJobOptions } from '../../queues/queue-inputs';
import type {
  CeleryQueueView,
  JobDetail,
  JobStateName,
  JobSummary,
  QueueSummary,
} from '../../queues/queue-types';
import { describeJsonProblem, parseJsonText } from '../../queues/json-text';
import { attemptsText } from '../../shared/job-attempts';
import {
  checkJobData,
  describeJobDataIssues,
  isBuiltinQueue,
  JOB_DATA_EXAMPLES,
} from '../../shared/job-data-rules';
import { isGuildhallError, toGuildhallError, type SerializedError } from '../../util/errors';
import { EXIT, exitCodeFor } from '../exit-codes';

export interface CommandOutput {
  exitCode: number;
  /** Text to print (ends with a newline). */
  output: string;
  /** Set when the command failed, for callers that want the structured error. */
  error?: SerializedError;
}

export type QueuesCommandService = Pick<
  QueuesService,
  'listQueues' | 'celeryQueues' | 'listJobEntries' | 'getJob' | 'addJob'
>;

export interface AddCommandOptions extends Omit<
  AddJobOptions,
  'removeOnComplete' | 'removeOnFail'
> {
  /** Job name (defaults to "job"). */
  name?: string;
  json?: boolean;
}

export async function queuesCommand(
  service: QueuesCommandService,
  options: { json?: boolean } = {},
): Promise<CommandOutput> {
  return run(options.json, async () => {
    const [queues, celery] = await Promise.all([service.listQueues(), service.celeryQueues()]);
    if (options.json) return json([...queues.map((q) => ({ kind: 'bullmq', ...q })), ...celery]);
    if (queues.length === 0 && celery.length === 0) return ok('No queues yet.\n');
    const celeryPart = celery.length > 0 ? `\n${formatCeleryTable(celery)}` : '';
    return ok(`${queues.length > 0 ? formatQueuesTable(queues) : ''}${celeryPart}`);
  });
}

/** Jobs of one state, or without a state the most recent jobs of any state (the default). */
export async function jobsCommand(
  service: QueuesCommandService,
  queue: string,
  options: { state?: JobStateName; json?: boolean; count?: number } = {},
): Promise<CommandOutput> {
  return run(options.json, async () => {
    const entries = await service.listJobEntries({
      queue,
      state: options.state ?? 'any',
      count: options.count ?? 50,
    });
    if (options.json) return json(entries);
    const which = entries.state === 'any' ? '' : ` ${entries.state}`;
    if (entries.jobs.length === 0) return ok(`No${which} jobs in queue ${entries.queue}.\n`);
    const shown = entries.jobs.length;
    const footer =
      entries.state === 'any'
        ? `Showing the ${shown} most recent of ${entries.total} job(s) in queue ${entries.queue}, any state; --state picks one.`
        : `Showing ${shown} of ${entries.total} ${entries.state} job(s) in queue ${entries.queue}, newest first.`;
    return ok(`${formatJobsTable(entries.jobs)}${footer}\n`);
  });
}

/** One job: its data, state, result or failure, the tail of its log and its times. */
export async function jobCommand(
  service: QueuesCommandService,
  queue: string,
  id: string,
  options: { json?: boolean } = {},
): Promise<CommandOutput> {
  return run(options.json, async () => {
    const job = await service.getJob(queue, id);
    return options.json ? json(job) : ok(formatJobDetail(job));
  });
}

export async function addCommand(
  service: QueuesCommandService,
  queue: string,
  jsonText: string,
  options: AddCommandOptions = {},
): Promise<CommandOutput> {
  const parsed = parseJsonText(jsonText);
  if (!parsed.ok) {
    // One line, pointing at the position; the hint stays in the structured error.
    const error: SerializedError = {
      code: 'invalid-input',
      message: describeJsonProblem(parsed.problem, 'the job data'),
      hint: 'Quote the whole JSON for your shell, e.g. \'{"n": 1}\'.',
    };
    const output = options.json ? `${JSON.stringify({ error })}\n` : `Error: ${error.message}\n`;
    return { exitCode: EXIT.usage, output, error };
  }
  const problem = jobDataProblem(queue, parsed.value);
  if (problem) return failure(options.json, problem);
  return run(options.json, async () => {
    const { name, json: asJson, ...jobOptions } = options;
    const result = await service.addJob({
      queue,
      data: parsed.value,
      ...(name === undefined ? {} : { name }),
      options: jobOptions,
    });
    if (asJson) return json(result);
    const lines = [
      result.created
        ? `Added job ${result.id} (${result.name}) to queue ${result.queue}.`
        : `A job with id ${result.id} already exists in queue ${result.queue}; nothing was added.`,
    ];
    if (result.newQueue)
      lines.push(
        `Note: queue ${result.queue} is new; no worker consumes it unless one is configured for it.`,
      );
    return ok(`${lines.join('\n')}\n`);
  });
}

/**
 * A built-in queue's data checked against the rules the worker applies (as the console's form
 * does), so bad data is refused here rather than failing later in the worker; null when it fits.
 */
export function jobDataProblem(queue: string, data: unknown): SerializedError | null {
  const issues = checkJobData(queue, data);
  if (issues.length === 0 || !isBuiltinQueue(queue)) return null;
  return {
    code: 'invalid-input',
    message: `The job data does not fit queue ${queue}: ${describeJobDataIssues(issues)}.`,
    hint: `Example: guildhall add ${queue} '${JSON.stringify(JOB_DATA_EXAMPLES[queue])}'`,
  };
}

/* ---------- formatting ---------- */

export function formatQueuesTable(queues: readonly QueueSummary[]): string {
  const rows = queues.map((q) => [
    q.name,
    q.isPaused ? 'paused' : 'running',
    String(q.counts.waiting + q.counts.prioritized + q.counts.paused),
    String(q.counts.active),
    String(q.counts.delayed),
    String(q.counts.failed),
    String(q.counts.completed),
    String(q.workers.length),
    String(q.throughput.completedLastMinute),
  ]);
  return table(
    [
      'QUEUE',
      'STATE',
      'WAITING',
      'ACTIVE',
      'DELAYED',
      'FAILED',
      'COMPLETED',
      'WORKERS',
      'DONE/MIN',
    ],
    rows,
  );
}

/** The watched Celery queues: read-only here, Celery owns them. */
export function formatCeleryTable(queues: readonly CeleryQueueView[]): string {
  const rows = queues.map((q) => [q.name, 'celery', String(q.waiting), q.pool]);
  return table(['CELERY QUEUE', 'KIND', 'WAITING', 'POOL'], rows);
}

export function formatJobsTable(jobs: readonly JobSummary[]): string {
  const rows = jobs.map((job) => [
    job.id,
    job.name,
    job.state,
    attemptsText(job.attemptsMade, job.maxAttempts),
    formatTime(job.timestamp),
    job.finishedOn === null ? '-' : formatTime(job.finishedOn),
    oneLine(job.failedReason ?? job.dataPreview, 60),
  ]);
  return table(['ID', 'NAME', 'STATE', 'ATTEMPTS', 'CREATED', 'FINISHED', 'DATA / REASON'], rows);
}

/** Log lines `guildhall job` prints (the newest; --json gives all the detail holds). */
export const JOB_LOG_TAIL = 20;

export function formatJobDetail(job: JobDetail): string {
  const time = (at: number | null) => (at === null ? '-' : formatTime(at));
  const indent = (text: string) => text.replace(/^/gm, '  ');
  const lines = [
    `Job ${job.id} (${job.name}) in queue ${job.queue}: ${job.state}`,
    `Attempts   ${attemptsText(job.attemptsMade, job.maxAttempts)}`,
    `Created    ${time(job.timestamp)}`,
    `Started    ${time(job.processedOn)}`,
    `Finished   ${time(job.finishedOn)}`,
  ];
  if (job.dueAt !== null) lines.push(`Due        ${time(job.dueAt)}`);
  lines.push('Data', indent(JSON.stringify(job.data, null, 2) ?? 'null'));
  if (job.state === 'completed') {
    lines.push('Result', indent(JSON.stringify(job.returnvalue, null, 2) ?? 'null'));
  }
  if (job.failedReason) lines.push('Failed reason', indent(job.failedReason));
  const tail = job.logs.slice(-JOB_LOG_TAIL);
  if (tail.length > 0) {
    lines.push(`Log (last ${tail.length} of ${job.logCount} lines)`, indent(tail.join('\n')));
  }
  return `${lines.join('\n')}\n`;
}

/** Left-aligned columns separated by two spaces; the last column is not padded. */
export function table(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = headers.map((h, i) =>
    Math.max(h.length, ...rows.map((row) => (row[i] ?? '').length)),
  );
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, i) => (i === cells.length - 1 ? cell : cell.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  return `${[headers, ...rows].map(line).join('\n')}\n`;
}

function formatTime(epochMs: number): string {
  return new Date(epochMs)
    .toISOString()
    .replace('T', ' ')
    .replace(/\.\d+Z$/, 'Z');
}

function oneLine(text: string, max: number): string {
  const flat = text.replace(/\s+/g, ' ');
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

/* ---------- results ---------- */

function ok(output: string): CommandOutput {
  return { exitCode: EXIT.ok, output };
}

function json(value: unknown): CommandOutput {
  return ok(`${JSON.stringify(value, null, 2)}\n`);
}

function failure(asJson: boolean | undefined, error: SerializedError): CommandOutput {
  const output = asJson
    ? `${JSON.stringify({ error }, null, 2)}\n`
    : `Error: ${error.message}\n${error.hint ? `Hint: ${error.hint}\n` : ''}`;
  return { exitCode: exitCodeFor(error.code), output, error };
}

async function run(
  asJson: boolean | undefined,
  body: () => Promise<CommandOutput>,
): Promise<CommandOutput> {
  try {
    return await body();
  } catch (err) {
    const error = isGuildhallError(err) ? err : toGuildhallError(err);
    return failure(asJson, error.toJSON());
  }
}
