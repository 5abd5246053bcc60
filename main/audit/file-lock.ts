/**
 * A lock file shared by every Guildhall process on this machine (the app, the CLI, the browser
 * console), so appends to the audit log never interleave and each entry links to the one truly
 * before it. `open(…, 'wx')` either creates the lock or fails; a lock whose process is gone, or
 * older than `staleMs`, was left by a process that died mid-write and is taken over.
 */
import fs from 'node:fs/promises';

export interface FileLockOptions {
  /** Give up after this long (default 6 s). */
  timeoutMs?: number;
  /** A lock file older than this is stale (default 3 s; a holder keeps it for milliseconds). */
  staleMs?: number;
}

/** False when the lock names a process that no longer exists (it was killed mid-write). */
async function holderAlive(lockFile: string): Promise<boolean> {
  const pid = Number((await fs.readFile(lockFile, 'utf8').catch(() => '')).trim());
  if (!Number.isInteger(pid) || pid <= 0) return true; // being written: give it time
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

const RETRY_MS = 15;

export async function withFileLock<T>(
  lockFile: string,
  run: () => Promise<T>,
  options: FileLockOptions = {},
): Promise<T> {
  const deadline = Date.now() + (options.timeoutMs ?? 6_000);
  const staleMs = options.staleMs ?? 3_000;
  for (;;) {
    try {
      const handle = await fs.open(lockFile, 'wx', 0o600);
      await handle.writeFile(String(process.pid));
      await handle.close();
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const stat = await fs.stat(lockFile).catch(() => null);
      if (stat && (Date.now() - stat.mtimeMs > staleMs || !(await holderAlive(lockFile)))) {
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
