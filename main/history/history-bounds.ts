/**
 * How much the history keeps and how large it can grow, decided here once: the two tiers (5 s
 * points for the last hour, 1 min points for a day), the slack each file may grow by before it
 * is compacted, and the largest a line can be. Together they bound the store's bytes by
 * construction; `historyBoundBytes` is the number the README and the tests quote.
 */
import { MAX_CONTAINERS_PER_FRAME, MAX_NAME_CHARS, MAX_QUEUES_PER_FRAME } from './history-frame';

export type TierName = 'fine' | 'coarse';

export interface Tier {
  name: TierName;
  /** Time between points. */
  stepMs: number;
  /** Points younger than this are always kept. */
  keepMs: number;
  /** Lines the file may hold beyond `keepMs / stepMs` before it is compacted. */
  slackLines: number;
}

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;

export const FINE_TIER: Tier = { name: 'fine', stepMs: 5_000, keepMs: HOUR_MS, slackLines: 120 };
export const COARSE_TIER: Tier = {
  name: 'coarse',
  stepMs: MINUTE_MS,
  keepMs: 24 * HOUR_MS,
  slackLines: 60,
};
export const TIERS: readonly Tier[] = [FINE_TIER, COARSE_TIER];

/** Lines a tier keeps after compaction, and the most its file holds before the next one. */
export function keptLines(tier: Tier): number {
  return Math.ceil(tier.keepMs / tier.stepMs);
}
export function maxLines(tier: Tier): number {
  return keptLines(tier) + tier.slackLines;
}

/** Largest values as written: CPU % ≤ 99999.9, bytes < 2^53, rates ≤ 999999.99. */
const CPU_CHARS = 7;
const BYTES_CHARS = 16;
const RATE_CHARS = 9;
const TIME_CHARS = 13;

/**
 * The most bytes one line takes for this many containers and queues. Names are at most
 * MAX_NAME_CHARS characters; `bytesPerNameChar` is 1 for plain ASCII names (pool and container
 * names always; queue names in practice) and 6 for the worst JSON escaping.
 */
export function lineBytesBound(containers: number, queues: number, bytesPerNameChar = 1): number {
  const name = 2 + MAX_NAME_CHARS * bytesPerNameChar;
  const host = 2 + CPU_CHARS + 1 + BYTES_CHARS + 1 + BYTES_CHARS;
  const frame = '{"t":,"h":,"c":[],"q":[]}\n'.length + TIME_CHARS + host;
  const container = 2 + name + 1 + name + 1 + CPU_CHARS + 1 + BYTES_CHARS + 1;
  const queue = 2 + name + 1 + RATE_CHARS + 1 + RATE_CHARS + 1;
  return (
    frame +
    Math.min(containers, MAX_CONTAINERS_PER_FRAME) * container +
    Math.min(queues, MAX_QUEUES_PER_FRAME) * queue
  );
}

/**
 * The most bytes a cluster's history folder holds for this many containers and queues: every
 * tier full to its compaction point, plus one tier's copy while a compaction writes it.
 */
export function historyBoundBytes(
  containers: number,
  queues: number,
  bytesPerNameChar = 1,
): number {
  const line = lineBytesBound(containers, queues, bytesPerNameChar);
  const largest = Math.max(...TIERS.map(keptLines));
  return (TIERS.reduce((sum, tier) => sum + maxLines(tier), 0) + largest) * line;
}
