/**
 * Process groups started by jobs. Commands are spawned `detached`, so each leads its own process
 * group and `kill(-pid)` reaches every process it started. Groups still alive when the worker
 * exits (a forced shutdown) are killed so no orphan outlives the worker.
 */

const liveGroups = new Set<number>();

export function trackProcessGroup(pid: number): void {
  liveGroups.add(pid);
}

export function untrackProcessGroup(pid: number): void {
  liveGroups.delete(pid);
}

/** Sends `signal` to the whole process group led by `pid`; false when it no longer exists. */
export function killProcessGroup(pid: number, signal: NodeJS.Signals = 'SIGKILL'): boolean {
  try {
    process.kill(-pid, signal);
    return true;
  } catch {
    return false;
  }
}

export function killAllProcessGroups(): void {
  for (const pid of liveGroups) killProcessGroup(pid);
  liveGroups.clear();
}
