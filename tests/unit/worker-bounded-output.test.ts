/** The bounds on a job's captured output: stream tails, line splitting, the job-log window. */
import { describe, expect, it } from 'vitest';
import { LineSplitter, LogWindow, TailBuffer } from '../../resources/worker/src/bounded-output';

describe('TailBuffer', () => {
  it('keeps everything under the limit', () => {
    const tail = new TailBuffer(10);
    tail.write(Buffer.from('abc'));
    tail.write(Buffer.from('def'));
    expect(tail.text()).toBe('abcdef');
    expect(tail.truncated).toBe(false);
  });

  it('keeps only the last `limit` bytes across chunks', () => {
    const tail = new TailBuffer(5);
    for (const piece of ['hello ', 'wor', 'ld!']) tail.write(Buffer.from(piece));
    expect(tail.text()).toBe('orld!');
    expect(tail.truncated).toBe(true);
    tail.write(Buffer.from('0123456789'));
    expect(tail.text()).toBe('56789');
  });

  it('does not start with half a UTF-8 character', () => {
    const tail = new TailBuffer(4);
    tail.write(Buffer.from('aé€')); // 1 + 2 + 3 bytes: the last 4 bytes cut "é" in half
    expect(tail.text()).toBe('€');
  });
});

describe('LineSplitter', () => {
  function split(chunks: string[], maxBytes = 100): string[] {
    const lines: string[] = [];
    const splitter = new LineSplitter((line) => lines.push(line), maxBytes);
    for (const chunk of chunks) splitter.write(Buffer.from(chunk));
    splitter.end();
    return lines;
  }

  it('joins lines across chunks and handles CRLF and a last line without newline', () => {
    expect(split(['one\ntw', 'o\r\nthr', 'ee'])).toEqual(['one', 'two', 'three']);
  });

  it('keeps empty lines', () => {
    expect(split(['a\n\nb\n'])).toEqual(['a', '', 'b']);
  });

  it('cuts an overlong line once and drops the rest of it', () => {
    expect(split(['abcdefgh', 'ijkl\nnext\n'], 5)).toEqual(['abcde …[line truncated]', 'next']);
    expect(split(['abcdefghij\nok'], 5)).toEqual(['abcde …[line truncated]', 'ok']);
  });
});

describe('LogWindow', () => {
  it('keeps at most maxLines entries', () => {
    const window = new LogWindow(3, 1_000);
    expect([1, 2, 3, 4, 5].map((n) => window.push(`line ${n}`))).toEqual([1, 2, 3, 3, 3]);
  });

  it('keeps at most maxBytes, dropping the oldest lines', () => {
    const window = new LogWindow(100, 10);
    expect(window.push('aaaa')).toBe(1);
    expect(window.push('bbbb')).toBe(2);
    expect(window.push('cccc')).toBe(2);
    expect(window.totalBytes).toBe(8);
  });

  it('always keeps the newest line, even when it alone is over the byte limit', () => {
    const window = new LogWindow(100, 10);
    window.push('aaaa');
    expect(window.push('x'.repeat(50))).toBe(1);
  });
});
