/**
 * A cluster's history on disk, in `<home>/history/<cluster>/`: `fine.jsonl` holds 5 s frames for
 * the last hour, `coarse.jsonl` 1 min frames for a day (history-bounds.ts bounds both). One
 * process writes (the supervisor holding the cluster's lease, through the recorder); any process
 * reads. Each minute's 5 s frames are averaged into one 1 min frame when the next minute's first
 * frame arrives; a writer that opens the store after a restart rolls up what the last one left.
 *
 *   const store = await HistoryStore.open(historyFolder(core.home, 'guildhall'));
 *   await store.append(frame);
 *   const { frames, stepMs } = await readHistory(folder, { from: now - 3_600_000, to: now });
 */
import path from 'node:path';
import { COARSE_TIER, FINE_TIER, type Tier } from './history-bounds';
import { averageFrames, type HistoryFrame } from './history-frame';
import { readTierFile, TierFile } from './tier-file';

/** Where a cluster's history lives under the app folder. */
export function historyFolder(home: string, cluster: string): string {
  return path.join(home, 'history', cluster);
}

const minuteOf = (at: number) => Math.floor(at / COARSE_TIER.stepMs);

export class HistoryStore {
  /** The open minute's 5 s frames, averaged into the coarse tier when the minute is over. */
  private minute: { index: number; frames: HistoryFrame[] } | null = null;

  private constructor(
    readonly folder: string,
    private readonly fine: TierFile,
    private readonly coarse: TierFile,
  ) {}

  /** Opens (or creates) a cluster's history and rolls up minutes a previous writer left open. */
  static async open(folder: string): Promise<HistoryStore> {
    const [fine, coarse] = await Promise.all([
      TierFile.open(FINE_TIER, folder),
      TierFile.open(COARSE_TIER, folder),
    ]);
    const store = new HistoryStore(folder, fine.file, coarse.file);
    const rolledUpTo = coarse.file.lastFrameAt;
    for (const frame of fine.frames) {
      if (minuteOf(frame.at) > minuteOf(rolledUpTo)) await store.addToMinute(frame);
    }
    return store;
  }

  /** The newest frame's time (epoch ms), or -Infinity when the store is empty. */
  get lastAt(): number {
    return this.fine.lastFrameAt;
  }

  /**
   * Appends one 5 s frame. A frame not at least 80 % of a step after the previous one is
   * dropped (false), so the tier's line count always spans its hour.
   */
  async append(frame: HistoryFrame): Promise<boolean> {
    if (frame.at - this.fine.lastFrameAt < FINE_TIER.stepMs * 0.8) return false;
    await this.fine.append(frame);
    await this.addToMinute(frame);
    return true;
  }

  private async addToMinute(frame: HistoryFrame): Promise<void> {
    const index = minuteOf(frame.at);
    if (this.minute && index > this.minute.index) {
      const { index: done, frames } = this.minute;
      await this.coarse.append(averageFrames(frames, done * COARSE_TIER.stepMs));
      this.minute = null;
    }
    if (!this.minute) this.minute = { index, frames: [] };
    if (index === this.minute.index) this.minute.frames.push(frame);
  }
}

export interface HistoryRead {
  /** The resolution of the frames returned. */
  stepMs: number;
  frames: HistoryFrame[];
}

/**
 * Frames in [from, to] from the tier that covers the span: 5 s frames for an hour or less, 1 min
 * frames beyond, the minute still open standing as the average of its 5 s frames so far. Reads
 * the files as they are now (safe while a writer appends).
 */
export async function readHistory(
  folder: string,
  span: { from: number; to: number },
): Promise<HistoryRead> {
  const within = (frame: HistoryFrame) => frame.at >= span.from && frame.at <= span.to;
  const tierFile = (tier: Tier) => readTierFile(path.join(folder, `${tier.name}.jsonl`));
  if (span.to - span.from <= FINE_TIER.keepMs) {
    return { stepMs: FINE_TIER.stepMs, frames: (await tierFile(FINE_TIER)).filter(within) };
  }
  const [coarse, fine] = await Promise.all([tierFile(COARSE_TIER), tierFile(FINE_TIER)]);
  const rolledUpTo = coarse.at(-1)?.at ?? -Infinity;
  const open = fine.filter((frame) => minuteOf(frame.at) > minuteOf(rolledUpTo));
  const openMinutes = new Map<number, HistoryFrame[]>();
  for (const frame of open) {
    const index = minuteOf(frame.at);
    openMinutes.set(index, [...(openMinutes.get(index) ?? []), frame]);
  }
  const rolled = [...openMinutes].map(([index, frames]) =>
    averageFrames(frames, index * COARSE_TIER.stepMs),
  );
  return { stepMs: COARSE_TIER.stepMs, frames: [...coarse, ...rolled].filter(within) };
}
