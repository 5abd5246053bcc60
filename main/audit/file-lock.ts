/**
 * A lock file shared by every Guildhall process on this machine (the app, the CLI, the browser
 * console), so appends to the audit log never interleave and each entry links to the one truly
 * before it. `open(…, 'wx')` either creates the lock or fails; a lock older than `staleMs` was
 * left by a process that died mid-write and is taken over.
 */
import fs from 'node:fs/promises';

export interface FileLockOptions {
  /** Give up after this long (default 5 s). */
  timeoutMs?: number;
  /** A lock file older than this is stale (default 10 s). */
  staleMs?: number;
}

const RETRY_MS = 15;

export async function withFileLock<T>(
  lockFile: string,
  run: () => Promise<T>,
  options: FileLockOptions = {},
): Promise<T> {
  const deadline = Date.now() + (options.timeoutMs ?? 5_000);
  const staleMs = options.staleMs ?? 10_000;
  for (;;) {
    try {
      const handle = await fs.open(lockFile, 'wx', 0o600);
      await handle.writeFile(String(process.pid));
      await handle.close();
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const stat = await fs.stat(lockFile).catch(() => null);
      if (stat && Date.now() - stat.mtimeMs > staleMs) {
        await fs.rm(lockFile, { force: true });
        continue;
      }
      if (Date.now() > deadline) {
        throw new Error(`the lock ${lockFile} is held by another process`, { cause: err });
      }
      await new Promise((resolve) => setTimeout(resolve, RETRY_MS));
    }
  }
  try {
    return await run();
  } finally {
    await fs.rm(lockFile, { force: true });
  }
}
