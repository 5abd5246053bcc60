/**
 * The user's processor files: `<queue>.js`, `.mjs` or `.cjs` in the processors folder, each
 * handling the queue it is named after. Also fingerprints them, so a watcher can tell when one
 * was added, edited or removed.
 */
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { NAME_PATTERN } from './config';

/** In order of preference when one queue has several files. */
export const PROCESSOR_EXTENSIONS = ['.js', '.mjs', '.cjs'] as const;

export interface ProcessorFile {
  queue: string;
  path: string;
}

interface Candidate {
  queue: string;
  fileName: string;
  rank: number;
}

function candidateFor(fileName: string): Candidate | null {
  const rank = PROCESSOR_EXTENSIONS.findIndex((ext) => fileName.endsWith(ext));
  if (rank < 0) return null;
  const extension = PROCESSOR_EXTENSIONS[rank] ?? '';
  const queue = fileName.slice(0, -extension.length);
  if (!NAME_PATTERN.test(queue)) return null;
  return { queue, fileName, rank };
}

function readCandidates(dir: string): Candidate[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  const candidates: Candidate[] = [];
  for (const fileName of names) {
    const candidate = candidateFor(fileName);
    if (candidate === null) continue;
    try {
      if (!statSync(join(dir, fileName)).isFile()) continue;
    } catch {
      continue;
    }
    candidates.push(candidate);
  }
  return candidates;
}

export interface ProcessorListing {
  files: ProcessorFile[];
  /** Files ignored because a preferred extension exists for the same queue. */
  shadowed: string[];
}

/** Lists processor files, one per queue, sorted by queue name. */
export function listProcessorFiles(dir: string): ProcessorListing {
  const byQueue = new Map<string, Candidate>();
  const shadowed: string[] = [];
  for (const candidate of readCandidates(dir)) {
    const existing = byQueue.get(candidate.queue);
    if (existing === undefined) {
      byQueue.set(candidate.queue, candidate);
    } else if (candidate.rank < existing.rank) {
      shadowed.push(existing.fileName);
      byQueue.set(candidate.queue, candidate);
    } else {
      shadowed.push(candidate.fileName);
    }
  }
  const files = [...byQueue.values()]
    .sort((a, b) => a.queue.localeCompare(b.queue))
    .map((c) => ({ queue: c.queue, path: join(dir, c.fileName) }));
  return { files, shadowed: shadowed.sort() };
}

/**
 * A string that changes whenever a relevant processor file is added, removed, resized or
 * rewritten (mtime). `isRelevant` limits it to the queues this worker consumes.
 */
export function fingerprintProcessorFiles(
  dir: string,
  isRelevant: (queue: string) => boolean,
): string {
  const parts: string[] = [];
  for (const candidate of readCandidates(dir)) {
    if (!isRelevant(candidate.queue)) continue;
    try {
      const stat = statSync(join(dir, candidate.fileName));
      parts.push(`${candidate.fileName}:${stat.size}:${stat.mtimeMs}:${stat.ino}`);
    } catch {
      parts.push(`${candidate.fileName}:gone`);
    }
  }
  return parts.sort().join('\n');
}
