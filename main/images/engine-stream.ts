/**
 * Reads the JSON-lines streams the engine sends for pull, load and build. Errors arrive inside
 * the stream (`{"error": …}`) with a 200 status, so every line is checked.
 */
import type { Readable } from 'node:stream';

export interface EngineStreamMessage {
  status?: string;
  id?: string;
  stream?: string;
  progressDetail?: { current?: number; total?: number };
  error?: string;
  errorDetail?: { message?: string };
  aux?: { ID?: string };
}

export class EngineStreamError extends Error {}

export async function readEngineStream(
  stream: Readable | NodeJS.ReadableStream,
  onMessage: (message: EngineStreamMessage) => void,
): Promise<EngineStreamMessage[]> {
  const messages: EngineStreamMessage[] = [];
  let buffered = '';
  const handleLine = (line: string) => {
    const trimmed = line.trim();
    if (!trimmed) return;
    let message: EngineStreamMessage;
    try {
      message = JSON.parse(trimmed) as EngineStreamMessage;
    } catch {
      message = { stream: trimmed };
    }
    if (message.error || message.errorDetail?.message) {
      throw new EngineStreamError(message.errorDetail?.message ?? message.error ?? 'unknown error');
    }
    messages.push(message);
    onMessage(message);
  };
  for await (const chunk of stream as AsyncIterable<Buffer | string>) {
    buffered += chunk.toString();
    const lines = buffered.split('\n');
    buffered = lines.pop() ?? '';
    for (const line of lines) handleLine(line);
  }
  handleLine(buffered);
  return messages;
}
