/**
 * The sandbox child of a user processor. BullMQ runs sandboxed processors in a forked process
 * whose entry is normally its own `dist/cjs/classes/main.js`; inside our single-file bundle the
 * build (scripts/build-worker.mjs) points BullMQ at the bundle itself instead, and the fork is
 * recognised by SANDBOX_CHILD_ENV, which the worker sets through `workerForkOptions.env`.
 */

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
  await import('bullmq/dist/cjs/classes/main.js');
}
