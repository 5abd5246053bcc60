/**
 * Jobs check: are jobs stalling often? A job stalls when its worker stops renewing the job's
 * lock — the worker crashed, was killed, or blocked its event loop — and BullMQ then moves it
 * back to waiting (or fails it after MAX_STALLED_COUNT stalls).
 *
 * How it is measured (cheap by design): BullMQ writes every stall as an entry
 * `event=stalled` in the queue's event stream `bull:<queue>:events`, whose entry ids are
 * millisecond timestamps. For each known queue (the built-ins plus the cluster's queue
 * registry) one XREVRANGE from now back to STALL_WINDOW_MS ago, capped at STALL_SCAN_LIMIT
 * entries, is pipelined; `failed` events whose reason says "stalled" are jobs BullMQ gave up on.
 * No SCAN, no job hashes read.
 */
import { BUILTIN_QUEUES, MAX_STALLED_COUNT } from '@shared/worker-contract';
import { queueRegistryKey } from '../../queues/queue-discovery';
import { failed, passed, skipped, warning, type DiagnosticCheck } from '../types';

export const STALL_WINDOW_MS = 15 * 60_000;
export const STALL_SCAN_LIMIT = 2_000;
/** Stalls in the window from which the check warns, and from which it fails. */
export const STALL_WARN_AT = 3;
export const STALL_FAIL_AT = 20;
export const BULL_PREFIX = 'bull';

export interface QueueStalls {
  queue: string;
  stalled: number;
  /** Jobs failed because they stalled more than MAX_STALLED_COUNT times. */
  failedByStall: number;
  jobIds: string[];
}

type StreamEntry = [id: string, fields: string[]];

/** Counts stall entries in one queue's event-stream entries. */
export function countStalls(queue: string, entries: StreamEntry[]): QueueStalls {
  const out: QueueStalls = { queue, stalled: 0, failedByStall: 0, jobIds: [] };
  for (const [, fields] of entries) {
    const map = new Map<string, string>();
    for (let i = 0; i + 1 < fields.length; i += 2) map.set(fields[i]!, fields[i + 1]!);
    const event = map.get('event');
    if (event === 'stalled') {
      out.stalled++;
      const id = map.get('jobId');
      if (id && out.jobIds.length < 5 && !out.jobIds.includes(id)) out.jobIds.push(id);
    } else if (event === 'failed' && /stalled/i.test(map.get('failedReason') ?? '')) {
      out.failedByStall++;
    }
  }
  return out;
}

export const jobsStallingCheck: DiagnosticCheck = {
  id: 'jobs.stalling',
  category: 'jobs',
  title: 'Jobs not stalling often',
  documentation: `A stalled job lost its worker mid-run (crash, kill, or a processor blocking the event loop) and is retried; after ${MAX_STALLED_COUNT} stalls it fails. Counted from each queue's BullMQ event stream over the last ${STALL_WINDOW_MS / 60_000} minutes.`,
  applicable: async (ctx) => (await ctx.clusterExists()) !== false,
  async check(ctx) {
    const redis = await ctx.redis();
    if (!redis.ok) return skipped(`Redis could not be asked: ${redis.message}`);
    const spec = await ctx.spec();
    const registered = await redis.client.smembers(queueRegistryKey(spec.name));
    const queues = [...new Set([...BUILTIN_QUEUES, ...registered])].sort();
    const since = Date.now() - STALL_WINDOW_MS;
    const pipeline = redis.client.pipeline();
    for (const queue of queues) {
      pipeline.xrevrange(
        `${BULL_PREFIX}:${queue}:events`,
        '+',
        `${since}-0`,
        'COUNT',
        STALL_SCAN_LIMIT,
      );
    }
    const replies = (await pipeline.exec()) ?? [];
    const stalls = queues
      .map((queue, i) => {
        const [err, entries] = replies[i] ?? [null, []];
        return err ? null : countStalls(queue, (entries as StreamEntry[] | null) ?? []);
      })
      .filter((s): s is QueueStalls => s !== null && (s.stalled > 0 || s.failedByStall > 0));
    const total = stalls.reduce((sum, s) => sum + s.stalled, 0);
    const gaveUp = stalls.reduce((sum, s) => sum + s.failedByStall, 0);
    const minutes = STALL_WINDOW_MS / 60_000;
    const details = stalls.map(
      (s) =>
        `${s.queue}: ${s.stalled} stalled${s.failedByStall ? `, ${s.failedByStall} failed after stalling too often` : ''}${s.jobIds.length ? ` (jobs ${s.jobIds.join(', ')})` : ''}`,
    );
    if (total === 0 && gaveUp === 0) {
      return passed(
        `No job stalled in the last ${minutes} minutes (${queues.length} queue(s) looked at).`,
      );
    }
    const message = `${total} job stall(s) in the last ${minutes} minutes${gaveUp ? `; ${gaveUp} job(s) failed after stalling too often` : ''}.`;
    const advice =
      'Fix: look for crashing workers (the Workers check) and for processors that block the event loop with synchronous work; a worker that is killed mid-job leaves its jobs to stall.';
    if (total >= STALL_FAIL_AT) return failed(message, [], [...details, advice]);
    if (total >= STALL_WARN_AT || gaveUp > 0) return warning(message, [], [...details, advice]);
    return passed(`${message} That is within normal after a worker restart.`, details);
  },
};

export const JOB_CHECKS: DiagnosticCheck[] = [jobsStallingCheck];
