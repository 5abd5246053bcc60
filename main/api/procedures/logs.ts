/** logs.*: the last lines of a container, and a live stream of its output. */
import { redact } from '../../util/redact';
import { os } from './base';

export const logsProcedures = {
  tail: os.logs.tail.handler(async ({ input, context }) => {
    const { services } = context;
    const logs = await services.core.cluster.logs(input.target, {
      tail: input.lines ?? 200,
    });
    const secrets = await services.secretList();
    const lines = [];
    for await (const { stream, line } of logs.lines()) {
      lines.push({ target: input.target, stream, line: redact(line, secrets) });
    }
    return { target: input.target, lines };
  }),

  stream: os.logs.stream.handler(async function* ({ input, context, signal }) {
    const { services } = context;
    const logs = await services.core.cluster.logs(input.target, {
      follow: true,
      tail: input.tail ?? 100,
    });
    let stopped = false;
    const stop = () => {
      stopped = true;
      logs.close();
    };
    signal?.addEventListener('abort', stop, { once: true });
    const secrets = await services.secretList();
    try {
      for await (const { stream, line } of logs.lines()) {
        yield { target: input.target, stream, line: redact(line, secrets) };
      }
    } catch (err) {
      // Closing the stream because the caller left ends the loop with "Premature close".
      if (!stopped) throw err;
    } finally {
      signal?.removeEventListener('abort', stop);
      stop();
    }
  }),
};
