/**
 * The one decoder of the engine's container log format. Without a TTY the engine multiplexes
 * stdout and stderr into frames (8-byte header: stream type, 3 zero bytes, big-endian payload
 * length); with a TTY the stream is raw stdout. Frames and UTF-8 characters may split across
 * chunks. Lines feed the console and the API; chunks feed the CLI's `logs`; whole-buffer text
 * feeds error hints and support bundles.
 */
import { StringDecoder } from 'node:string_decoder';

export type LogStream = 'stdout' | 'stderr';

export interface DecodedLine {
  stream: LogStream;
  line: string;
}

/** Longest line passed on; longer ones are cut (with an ellipsis) to keep the UI responsive. */
export const MAX_LINE_CHARS = 16_384;

/** A piece of one stream's output, as the engine sent it. */
export interface LogChunk {
  stream: LogStream;
  bytes: Buffer;
}

export class DockerLogDecoder {
  private pending: Buffer = Buffer.alloc(0);
  private readonly text = {
    stdout: { decoder: new StringDecoder('utf8'), partial: '' },
    stderr: { decoder: new StringDecoder('utf8'), partial: '' },
  };

  constructor(private readonly tty: boolean) {}

  /** The output in `chunk` per stream, without frame headers; a split frame waits for the rest. */
  chunks(chunk: Buffer): LogChunk[] {
    if (this.tty) return [{ stream: 'stdout', bytes: chunk }];
    const out: LogChunk[] = [];
    this.pending = this.pending.length ? Buffer.concat([this.pending, chunk]) : chunk;
    while (this.pending.length >= 8) {
      const size = this.pending.readUInt32BE(4);
      if (this.pending.length < 8 + size) break;
      const type = this.pending[0];
      const bytes = this.pending.subarray(8, 8 + size);
      this.pending = this.pending.subarray(8 + size);
      if (type === 1 || type === 2) out.push({ stream: type === 2 ? 'stderr' : 'stdout', bytes });
    }
    return out;
  }

  push(chunk: Buffer): DecodedLine[] {
    return this.chunks(chunk).flatMap(({ stream, bytes }) => this.append(stream, bytes));
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

/**
 * A whole log (the engine's answer without `follow`) as text, stdout and stderr interleaved.
 * A buffer that is not framed (a TTY container) is returned as it is.
 */
export function logText(buffer: Buffer): string {
  let out = '';
  let offset = 0;
  while (offset + 8 <= buffer.length) {
    const type = buffer[offset];
    const size = buffer.readUInt32BE(offset + 4);
    if (type === undefined || type > 2 || offset + 8 + size > buffer.length)
      return buffer.toString('utf8');
    out += buffer.subarray(offset + 8, offset + 8 + size).toString('utf8');
    offset += 8 + size;
  }
  return offset === 0 ? buffer.toString('utf8') : out;
}
