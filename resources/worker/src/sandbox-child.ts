/**
 * The sandbox child of a user processor. BullMQ runs sandboxed processors in a forked process
 * whose entry is normally its own `dist/cjs/classes/main.js`; inside our single-file bundle the
 * build (scripts/build-worker.mjs) points BullMQ at the bundle itself instead, and the fork is
 * recognised by SANDBOX_CHILD_ENV, which the worker sets through `workerForkOptions.env`.
 *
 * When the processor file does not load, BullMQ tells the worker (and so the failed job) only the
 * error's message; for a syntax error the message gets the file and line first
 * (processor-load-error.ts), so "Unexpected end of input" says where.
 */
import { withSyntaxLocation } from './processor-load-error';

export const SANDBOX_CHILD_ENV = 'GUILDHALL_WORKER_SANDBOX_CHILD';

export function isSandboxChild(env: NodeJS.ProcessEnv = process.env): boolean {
  return env[SANDBOX_CHILD_ENV] === '1';
}

export async function runSandboxChild(): Promise<void> {
  // Commands the user's processor starts must not think they are sandbox children too.
  delete process.env[SANDBOX_CHILD_ENV];
  // If the worker process dies (forced shutdown, crash), end with it: its jobs return to their
  // queues through BullMQ's stalled-job check, and no orphan keeps running the old code.
  process.on('disconnect', () => process.exit(0));
  nameSyntaxErrors();
  await import('bullmq/dist/cjs/classes/main.js');
}

/** BullMQ's IPC commands this file reads (bullmq/dist/cjs/enums: ChildCommand, ParentCommand). */
const CHILD_INIT = 0;
const PARENT_INIT_FAILED = 3;

interface IpcMessage {
  cmd?: unknown;
  value?: unknown;
  err?: { name?: string; message?: string; stack?: string };
}

function nameSyntaxErrors(): void {
  const send = process.send?.bind(process);
  if (!send) return;
  let processorFile: string | null = null;
  process.on('message', (message: IpcMessage) => {
    if (message?.cmd === CHILD_INIT && typeof message.value === 'string') {
      processorFile = message.value;
    }
  });
  process.send = ((message: IpcMessage, ...rest: unknown[]) => {
    const described =
      message?.cmd === PARENT_INIT_FAILED && message.err
        ? { ...message, err: withSyntaxLocation(message.err, processorFile) }
        : message;
    return (send as (...args: unknown[]) => boolean)(described, ...rest);
  }) as typeof process.send;
}
