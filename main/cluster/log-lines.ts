/**
 * Turns a container's log stream into lines. Without a TTY the engine multiplexes stdout and
 * stderr into frames (8-byte header: stream type, 3 zero bytes, big-endian payload length);
 * with a TTY the stream is raw stdout. Frames and UTF-8 characters may split across chunks.
 */
import { StringDecoder } from 'node:string_decoder';

export type LogStream = 'stdout' | 'stderr';

export interface DecodedLine {
  stream: LogStream;
  line: string;
}

/** Longest line passed on; longer ones are cut (with an ellipsis) to keep the UI responsive. */
export const MAX_LINE_CHARS = 16_384;

export class DockerLogDecoder {
  private pending: Buffer = Buffer.alloc(0);
  private readonly text = {
    stdout: { decoder: new StringDecoder('utf8'), partial: '' },
    stderr: { decoder: new StringDecoder('utf8'), partial: '' },
  };

  constructor(private readonly tty: boolean) {}

  push(chunk: Buffer): DecodedLine[] {
    if (this.tty) return this.append('stdout', chunk);
    const lines: DecodedLine[] = [];
    this.pending = this.pending.length ? Buffer.concat([this.pending, chunk]) : chunk;
    while (this.pending.length >= 8) {
      const size = this.pending.readUInt32BE(4);
      if (this.pending.length < 8 + size) break;
      const type = this.pending[0];
      const payload = this.pending.subarray(8, 8 + size);
      this.pending = this.pending.subarray(8 + size);
      if (type === 1 || type === 2)
        lines.push(...this.append(type === 2 ? 'stderr' : 'stdout', payload));
    }
    return lines;
  }

  /** Lines left without a final newline when the stream ends. */
  end(): DecodedLine[] {
    const lines: DecodedLine[] = [];
    for (const stream of ['stdout', 'stderr'] as const) {
      const state = this.text[stream];
      const rest = state.partial + state.decoder.end();
      state.partial = '';
      if (rest) lines.push({ stream, line: clip(rest.replace(/\r$/, '')) });
    }
    return lines;
  }

  private append(stream: LogStream, bytes: Buffer): DecodedLine[] {
    const state = this.text[stream];
    const parts = (state.partial + state.decoder.write(bytes)).split('\n');
    state.partial = parts.pop() ?? '';
    if (state.partial.length > MAX_LINE_CHARS) {
      parts.push(state.partial);
      state.partial = '';
    }
    return parts.map((line) => ({ stream, line: clip(line.replace(/\r$/, '')) }));
  }
}

function clip(line: string): string {
  return line.length > MAX_LINE_CHARS ? `${line.slice(0, MAX_LINE_CHARS - 1)}…` : line;
}
