/** logs.*: the last lines of a container, and a live stream of its output. */
import type { Readable } from 'node:stream';
import { redact } from '../../util/redact';
import { DockerLogDecoder } from '../../cluster/log-lines';
import { os } from './base';

export const logsProcedures = {
  tail: os.logs.tail.handler(async ({ input, context }) => {
    const { services } = context;
    const { stream, tty } = await services.core.cluster.logs(input.target, {
      tail: input.lines ?? 200,
    });
    const secrets = await services.secretList();
    const decoder = new DockerLogDecoder(tty);
    const lines = [];
    for await (const chunk of stream as AsyncIterable<Buffer>) lines.push(...decoder.push(chunk));
    lines.push(...decoder.end());
    return {
      target: input.target,
      lines: lines.map(({ stream: s, line }) => ({
        target: input.target,
        stream: s,
        line: redact(line, secrets),
      })),
    };
  }),

  stream: os.logs.stream.handler(async function* ({ input, context, signal }) {
    const { services } = context;
    const { stream, tty } = await services.core.cluster.logs(input.target, {
      follow: true,
      tail: input.tail ?? 100,
    });
    const source = stream as Readable;
    let stopped = false;
    const stop = () => {
      stopped = true;
      source.destroy();
    };
    signal?.addEventListener('abort', stop, { once: true });
    const secrets = await services.secretList();
    const decoder = new DockerLogDecoder(tty);
    const line = ({ stream: s, line: text }: { stream: 'stdout' | 'stderr'; line: string }) => ({
      target: input.target,
      stream: s,
      line: redact(text, secrets),
    });
    try {
      for await (const chunk of source as AsyncIterable<Buffer>) {
        for (const decoded of decoder.push(chunk)) yield line(decoded);
      }
      for (const decoded of decoder.end()) yield line(decoded);
    } catch (err) {
      // Destroying the stream because the caller left ends the loop with "Premature close".
      if (!stopped) throw err;
    } finally {
      signal?.removeEventListener('abort', stop);
      stop();
    }
  }),
};
