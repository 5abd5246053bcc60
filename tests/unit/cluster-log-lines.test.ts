/** Container log streams become lines: frames and characters split across chunks, stdout and stderr apart. */
import { describe, expect, it } from 'vitest';
import { DockerLogDecoder, MAX_LINE_CHARS } from '../../main/cluster/log-lines';

function frame(type: 1 | 2, text: string | Buffer): Buffer {
  const payload = typeof text === 'string' ? Buffer.from(text, 'utf8') : text;
  const header = Buffer.alloc(8);
  header[0] = type;
  header.writeUInt32BE(payload.length, 4);
  return Buffer.concat([header, payload]);
}

describe('DockerLogDecoder', () => {
  it('splits multiplexed frames into stdout and stderr lines', () => {
    const decoder = new DockerLogDecoder(false);
    const lines = decoder.push(
      Buffer.concat([frame(1, 'ready\nlistening\n'), frame(2, 'warn: x\r\n')]),
    );
    expect(lines).toEqual([
      { stream: 'stdout', line: 'ready' },
      { stream: 'stdout', line: 'listening' },
      { stream: 'stderr', line: 'warn: x' },
    ]);
  });

  it('joins frames, lines and UTF-8 characters cut across chunks', () => {
    const decoder = new DockerLogDecoder(false);
    const bytes = Buffer.concat([frame(1, 'héllo '), frame(1, 'wörld\npartial')]);
    const out = [];
    for (let i = 0; i < bytes.length; i += 3) out.push(...decoder.push(bytes.subarray(i, i + 3)));
    expect(out).toEqual([{ stream: 'stdout', line: 'héllo wörld' }]);
    expect(decoder.end()).toEqual([{ stream: 'stdout', line: 'partial' }]);
  });

  it('reads a TTY stream as plain stdout', () => {
    const decoder = new DockerLogDecoder(true);
    expect(decoder.push(Buffer.from('a\nb'))).toEqual([{ stream: 'stdout', line: 'a' }]);
    expect(decoder.end()).toEqual([{ stream: 'stdout', line: 'b' }]);
  });

  it('cuts very long lines instead of buffering them without bound', () => {
    const decoder = new DockerLogDecoder(true);
    const lines = decoder.push(Buffer.from('x'.repeat(MAX_LINE_CHARS * 2)));
    expect(lines).toHaveLength(1);
    expect(lines[0]!.line).toHaveLength(MAX_LINE_CHARS);
    expect(lines[0]!.line.endsWith('…')).toBe(true);
  });
});
