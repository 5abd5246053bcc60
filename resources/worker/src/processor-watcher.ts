/**
 * Notices when the user's processor files change. fs.watch is fast but bind mounts (Docker
 * Desktop, WSL, network shares) often deliver no inotify events into the container, so a poll
 * runs alongside it; both only trigger a debounced comparison of file fingerprints, and the
 * change is reported once the folder has been stable for one debounce period.
 */
import { watch, type FSWatcher } from 'node:fs';
import { fingerprintProcessorFiles } from './processor-files';

export interface ProcessorWatchOptions {
  dir: string;
  /** Only files for these queues matter (all of them when the worker consumes every queue). */
  isRelevant: (queue: string) => boolean;
  onChange: () => void;
  pollMs?: number;
  debounceMs?: number;
  /** Use fs.watch events as well as polling (default true); false polls only. */
  fsEvents?: boolean;
}

export interface ProcessorWatcher {
  close(): void;
}

export function watchProcessorFiles(options: ProcessorWatchOptions): ProcessorWatcher {
  const { dir, isRelevant, onChange } = options;
  const pollMs = options.pollMs ?? 2_000;
  const debounceMs = options.debounceMs ?? 500;
  const fingerprint = () => fingerprintProcessorFiles(dir, isRelevant);

  const initial = fingerprint();
  let lastSeen = initial;
  let closed = false;
  let debounce: NodeJS.Timeout | undefined;

  const check = () => {
    debounce = undefined;
    if (closed) return;
    const current = fingerprint();
    if (current === initial) {
      lastSeen = current;
      return;
    }
    if (current !== lastSeen) {
      // Still changing (an editor or copy in progress): look again once it settles.
      lastSeen = current;
      schedule();
      return;
    }
    close();
    onChange();
  };

  function schedule(): void {
    if (closed) return;
    if (debounce !== undefined) clearTimeout(debounce);
    debounce = setTimeout(check, debounceMs);
    debounce.unref();
  }

  let watcher: FSWatcher | undefined;
  if (options.fsEvents ?? true) {
    try {
      watcher = watch(dir, { persistent: false }, () => schedule());
      watcher.on('error', () => {
        watcher?.close();
        watcher = undefined;
      });
    } catch {
      watcher = undefined; // the poll below still notices changes
    }
  }
  const poll = setInterval(schedule, pollMs);
  poll.unref();

  function close(): void {
    closed = true;
    clearInterval(poll);
    if (debounce !== undefined) clearTimeout(debounce);
    watcher?.close();
  }
  return { close };
}
