/** Pure parts of the queues core: JSON error positions, metrics series, INFO, worker joins, tables. */
import type { Metrics } from 'bullmq';
import { describe, expect, it } from 'vitest';
import { formatQueuesTable, table } from '../../main/cli/commands/queues';
import { describeJsonProblem, locateJsonError, parseJsonText } from '../../main/queues/json-text';
import { throughputSeries } from '../../main/queues/metrics-series';
import type { QueueSummary } from '../../main/queues/queue-types';
import { parseInfo, redisHealthFromInfo } from '../../main/queues/redis-info';
import { joinWorkers, parseHeartbeat, workerNameFromClient } from '../../main/queues/worker-views';

describe('JSON syntax errors', () => {
  it.each([
    ['{"a": 1,}', 8, 'trailing comma'],
    ['{"a" 1}', 5, "expected ':'"],
    ["{'a': 1}", 1, 'double quotes'],
    ['[1, 2', 5, "expected ',' or ']' but found the end of the text"],
    ['{"a": tru}', 9, 'expected "true"'],
    ['{"a": 1} x', 9, "unexpected 'x' after the end"],
    ['', 0, 'expected a value but found the end of the text'],
    ['{"a": "line\nbreak"}', 11, 'control character'],
    ['{"a": 01}', 7, "expected ',' or '}'"],
  ])('%j fails at position %i (%s)', (text, position, reason) => {
    const result = parseJsonText(text);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problem.position).toBe(position);
    expect(result.problem.reason).toContain(reason);
  });

  it('gives line and column for multi-line text', () => {
    const problem = locateJsonError('{\n  "a": 1,\n  "b": ]\n}');
    expect(problem).toMatchObject({ line: 3, column: 8 });
    expect(describeJsonProblem(problem, 'the job data')).toBe(
      "Invalid JSON for the job data at line 3, column 8 (position 19): expected a value but found ']'.",
    );
  });

  it('valid JSON parses to its value', () => {
    expect(parseJsonText(' {"a": [1, "x\\u0041", null, -2.5e3]} ')).toEqual({
      ok: true,
      value: { a: [1, 'xA', null, -2500] },
    });
  });
});

describe('throughputSeries', () => {
  const minute = 60_000;
  const now = 1_000 * minute + 30_000; // half way through minute 1000
  const metrics = (count: number, prevTS: number, prevCount: number, data: number[]): Metrics => ({
    meta: { count, prevTS, prevCount },
    data,
    count: data.length,
  });

  it('is all zero when nothing was ever recorded', () => {
    expect(throughputSeries(metrics(0, 0, 0, []), now, 3)).toEqual({
      minuteStart: 1_000 * minute,
      perMinute: [0, 0, 0],
      total: 0,
    });
  });

  it('puts the open minute first and the pushed data points behind it', () => {
    // Open minute is the current one, with 10 - 7 = 3 jobs; before it: 4 then 3 jobs.
    const series = throughputSeries(metrics(10, 1_000 * minute + 5, 7, [4, 3]), now, 4);
    expect(series.perMinute).toEqual([3, 4, 3, 0]);
    expect(series.total).toBe(10);
  });

  it('shifts everything back when no job finished for a while', () => {
    // The open minute was two minutes ago: the current and last minute had nothing.
    const series = throughputSeries(metrics(5, 998 * minute + 1, 3, [3]), now, 5);
    expect(series.perMinute).toEqual([0, 0, 2, 3, 0]);
  });

  it('treats an open minute slightly in the future (worker clock ahead) as now', () => {
    const series = throughputSeries(metrics(2, 1_001 * minute + 1, 0, []), now, 2);
    expect(series.perMinute).toEqual([2, 0]);
  });
});

describe('Redis INFO', () => {
  const info = [
    '# Server',
    'redis_version:7.0.15',
    'uptime_in_seconds:42',
    '',
    '# Clients',
    'connected_clients:3',
    '# Memory',
    'used_memory:1048576',
    'used_memory_peak:2097152',
    'maxmemory:0',
    'maxmemory_policy:noeviction',
    '# Persistence',
    'aof_enabled:1',
    'aof_rewrite_in_progress:0',
    'aof_last_bgrewrite_status:ok',
    'aof_last_write_status:err',
    '# Stats',
    'instantaneous_ops_per_sec:17',
    'errorstat_ERR:count=1',
  ].join('\r\n');

  it('reads the health fields, keeping values that contain ":"', () => {
    expect(parseInfo(info).get('errorstat_ERR')).toBe('count=1');
    expect(redisHealthFromInfo(info)).toEqual({
      version: '7.0.15',
      uptimeSeconds: 42,
      usedMemoryBytes: 1_048_576,
      usedMemoryPeakBytes: 2_097_152,
      maxMemoryBytes: 0,
      maxMemoryPolicy: 'noeviction',
      opsPerSec: 17,
      connectedClients: 3,
      aof: {
        enabled: true,
        lastWriteStatus: 'err',
        rewriteInProgress: false,
        lastRewriteStatus: 'ok',
      },
    });
  });

  it('reports AOF off without a write status', () => {
    expect(redisHealthFromInfo('aof_enabled:0\r\naof_last_write_status:ok').aof).toEqual({
      enabled: false,
      lastWriteStatus: null,
      rewriteInProgress: false,
      lastRewriteStatus: null,
    });
  });
});

describe('worker joins', () => {
  it('takes the worker name from the BullMQ client name', () => {
    expect(
      workerNameFromClient({ rawname: 'bull:ZWNobw==:w:gh-worker-1', addr: '1.2.3.4:5' }),
    ).toBe('gh-worker-1');
    expect(workerNameFromClient({ rawname: 'bull:ZWNobw==', addr: '1.2.3.4:5' })).toBe(
      'unnamed@1.2.3.4:5',
    );
  });

  it('ignores heartbeats that do not match the contract', () => {
    expect(parseHeartbeat('{"name": "x"}')).toBeNull();
    expect(parseHeartbeat('not json')).toBeNull();
  });
});

describe('CLI tables', () => {
  it('pads all columns but the last and trims trailing space', () => {
    expect(
      table(
        ['A', 'LONG'],
        [
          ['xyz', ''],
          ['q', 'v'],
        ],
      ),
    ).toBe('A    LONG\nxyz\nq    v\n');
  });

  it('shows waiting as everything queued to run, and the pause state', () => {
    const summary: QueueSummary = {
      name: 'echo',
      counts: {
        waiting: 2,
        active: 1,
        completed: 9,
        failed: 3,
        delayed: 4,
        paused: 0,
        prioritized: 5,
        'waiting-children': 0,
      },
      isPaused: true,
      workers: joinWorkers(new Map([['echo', [{ rawname: 'bull:x:w:w1' }]]]), new Map()),
      throughput: {
        completedThisMinute: 1,
        completedLastMinute: 6,
        failedThisMinute: 0,
        failedLastMinute: 0,
      },
      builtin: true,
    };
    const [header, row] = formatQueuesTable([summary]).trimEnd().split('\n');
    expect(header?.split(/\s+/)).toEqual([
      'QUEUE',
      'STATE',
      'WAITING',
      'ACTIVE',
      'DELAYED',
      'FAILED',
      'COMPLETED',
      'WORKERS',
      'DONE/MIN',
    ]);
    expect(row?.split(/\s+/)).toEqual(['echo', 'paused', '7', '1', '4', '3', '9', '1', '6']);
  });
});
