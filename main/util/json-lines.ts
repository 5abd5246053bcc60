/**
 * Follows a long-lived JSON-lines stream from the engine (stats, events): each complete line is
 * parsed and handed on; unparsable lines are skipped. Returns a function that closes the stream.
 */
export interface JsonLinesHandlers {
  onValue(value: unknown): void;
  /** Called once when the stream ends, fails or is closed by the caller. */
  onClose?(error?: Error): void;
}

type DestroyableStream = NodeJS.ReadableStream & { destroy?: (error?: Error) => void };

export function followJsonLines(
  stream: NodeJS.ReadableStream,
  handlers: JsonLinesHandlers,
): () => void {
  let buffered = '';
  let closed = false;
  const finish = (error?: Error) => {
    if (closed) return;
    closed = true;
    stream.removeListener('data', onData);
    handlers.onClose?.(error);
  };
  const onData = (chunk: Buffer | string) => {
    if (closed) return;
    buffered += chunk.toString();
    let newline = buffered.indexOf('\n');
    while (newline >= 0) {
      const line = buffered.slice(0, newline).trim();
      buffered = buffered.slice(newline + 1);
      if (line) {
        let value: unknown;
        try {
          value = JSON.parse(line);
        } catch {
          value = undefined;
        }
        if (value !== undefined) handlers.onValue(value);
      }
      if (closed) return;
      newline = buffered.indexOf('\n');
    }
  };
  stream.on('data', onData);
  stream.once('end', () => finish());
  stream.once('close', () => finish());
  stream.once('error', (err: Error) => finish(err));
  return () => {
    finish();
    // Swallow the abort error destroying an in-flight HTTP response may emit.
    stream.on('error', () => {});
    (stream as DestroyableStream).destroy?.();
  };
}
