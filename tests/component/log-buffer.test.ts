import { describe, expect, it } from 'vitest';
import {
  formatForFile,
  lineTone,
  splitTimestamp,
  toLogEntry,
} from '../../renderer/src/lib/logs/log-entry';
import { highlightPieces, matches } from '../../renderer/src/lib/logs/log-search';
import { RingBuffer } from '../../main/shared/ring-buffer';

describe('log ring buffer', () => {
  it('keeps everything below capacity, oldest first', () => {
    const buffer = new RingBuffer<number>(5);
    buffer.pushAll([1, 2, 3]);
    expect(buffer.toArray()).toEqual([1, 2, 3]);
    expect(buffer.size).toBe(3);
    expect(buffer.at(0)).toBe(1);
    expect(buffer.at(3)).toBeUndefined();
  });

  it('drops the oldest lines beyond capacity, however many are pushed', () => {
    const buffer = new RingBuffer<number>(5_000);
    for (let i = 0; i < 123_456; i++) buffer.push(i);
    expect(buffer.size).toBe(5_000);
    expect(buffer.pushed).toBe(123_456);
    expect(buffer.dropped).toBe(118_456);
    expect(buffer.at(0)).toBe(118_456);
    expect(buffer.at(4_999)).toBe(123_455);
    const all = buffer.toArray();
    expect(all).toHaveLength(5_000);
    expect(all[0]).toBe(118_456);
    expect(all.every((value, i) => i === 0 || value === all[i - 1]! + 1)).toBe(true);
  });

  it('wraps correctly at every fill level of a tiny buffer', () => {
    const buffer = new RingBuffer<string>(3);
    const pushed: string[] = [];
    for (const item of ['a', 'b', 'c', 'd', 'e', 'f', 'g']) {
      buffer.push(item);
      pushed.push(item);
      expect(buffer.toArray()).toEqual(pushed.slice(-3));
    }
  });

  it('clears, and refuses a useless capacity', () => {
    const buffer = new RingBuffer<number>(2);
    buffer.pushAll([1, 2, 3]);
    buffer.clear();
    expect(buffer.toArray()).toEqual([]);
    buffer.push(9);
    expect(buffer.toArray()).toEqual([9]);
    expect(() => new RingBuffer(0)).toThrow(RangeError);
  });
});

describe('log lines', () => {
  it('reads the worker’s ISO timestamp and strips it from the text', () => {
    expect(splitTimestamp('2026-11-21T03:14:15.123Z info  worker ready')).toEqual({
      at: Date.UTC(2026, 10, 21, 3, 14, 15, 123),
      rest: 'info  worker ready',
    });
  });

  it('reads Redis’s own timestamp format', () => {
    expect(
      splitTimestamp('1:M 21 Nov 2026 03:14:15.120 * Ready to accept connections tcp'),
    ).toEqual({
      at: Date.UTC(2026, 10, 21, 3, 14, 15, 120),
      rest: '* Ready to accept connections tcp',
    });
  });

  it('falls back to the arrival time for lines without one', () => {
    const entry = toLogEntry(
      { target: 'worker-2', stream: 'stderr', line: 'plain text' },
      7,
      1_000,
    );
    expect(entry).toEqual({
      seq: 7,
      target: 'worker-2',
      stream: 'stderr',
      text: 'plain text',
      at: 1_000,
      stamped: false,
      level: null,
    });
    expect(formatForFile(entry)).toBe('1970-01-01T00:00:01.000Z worker-2 stderr plain text');
  });

  it('highlights every case-insensitive match', () => {
    expect(highlightPieces('Job failed; FAILED again', 'failed')).toEqual([
      { text: 'Job ', match: false },
      { text: 'failed', match: true },
      { text: '; ', match: false },
      { text: 'FAILED', match: true },
      { text: ' again', match: false },
    ]);
    expect(highlightPieces('abc', '')).toEqual([{ text: 'abc', match: false }]);
    expect(highlightPieces('abc', 'x')).toEqual([{ text: 'abc', match: false }]);
    expect(matches('Ready to Accept', 'accept')).toBe(true);
    expect(matches('Ready', 'nope')).toBe(false);
  });
});

describe('log levels', () => {
  const entry = (target: string, stream: 'stdout' | 'stderr', line: string) =>
    toLogEntry({ target, stream, line }, 1, 0);

  it('draws a worker warning as a warning, not as an error, though it went to stderr', () => {
    const warn = entry('worker-1', 'stderr', '2026-11-21T03:14:15.120Z warn  job shell#4 failed');
    expect(warn.level).toBe('warn');
    expect(lineTone(warn)).toBe('warn');
    const error = entry('worker-1', 'stderr', '2026-11-21T03:14:15.120Z error Redis refused');
    expect(lineTone(error)).toBe('error');
    const info = entry('worker-1', 'stdout', '2026-11-21T03:14:15.120Z info  worker ready');
    expect(lineTone(info)).toBeNull();
  });

  it('reads Redis’s warnings and Node’s own warnings', () => {
    const redis = entry('redis', 'stdout', '1:M 21 Nov 2026 03:14:15.120 # WARNING overcommit');
    expect(lineTone(redis)).toBe('warn');
    // Redis's start-up lines carry its warning mark too; they are not warnings.
    const start = entry('redis', 'stdout', '1:M 21 Nov 2026 03:14:15.120 # Server initialized');
    expect(lineTone(start)).toBeNull();
    const notice = entry('redis', 'stdout', '1:M 21 Nov 2026 03:14:15.120 * Ready to accept');
    expect(lineTone(notice)).toBeNull();
    const node = entry('worker-2', 'stderr', '(node:7) MaxListenersExceededWarning: Possible');
    expect(lineTone(node)).toBe('warn');
  });

  it('keeps stderr lines that name no level (a stack trace) in the error colour', () => {
    expect(lineTone(entry('worker-1', 'stderr', '    at run (/app/main.js:3:9)'))).toBe('error');
    expect(lineTone(entry('worker-1', 'stdout', 'plain output'))).toBeNull();
  });
});
