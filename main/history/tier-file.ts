/**
 * One tier of the history on disk: an append-only file of frame lines. The writer appends whole
 * lines and, when the file reaches its tier's line limit, rewrites the kept lines to a temporary
 * file and renames it over the old one (atomic: a reader sees the old file or the new one).
 * Readers in other processes read the file whole and skip a line that does not parse — the
 * writer's line in flight, or a line torn by a crash, which the next writer to open cuts off.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { keptLines, maxLines, type Tier } from './history-bounds';
import { decodeFrame, encodeFrame, type HistoryFrame } from './history-frame';

/** Frames of a tier's file (oldest first), skipping lines that do not parse; none when absent. */
export async function readTierFile(file: string): Promise<HistoryFrame[]> {
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
  return parseLines(text);
}

/** A line's time from its head (`{"t":…,`) without parsing the rest; null when it has none. */
function lineTime(line: string): number | null {
  const match = /^\{"t":(\d+),/.exec(line);
  return match && line.endsWith('}') ? Number(match[1]) : null;
}

function parseLines(text: string): HistoryFrame[] {
  return text.split('\n').flatMap((line) => {
    const frame = line ? decodeFrame(line) : null;
    return frame ? [frame] : [];
  });
}

/** The writer's side of one tier: the frames it holds on disk and the file's line count. */
export class TierFile {
  private lines = 0;
  private lastAt = -Infinity;

  private constructor(
    readonly tier: Tier,
    readonly file: string,
  ) {}

  /**
   * Opens (creating the folder) and reads the tier back: a torn last line is cut off, so the
   * next append starts on a line of its own. Returns the frames found, oldest first.
   */
  static async open(
    tier: Tier,
    folder: string,
  ): Promise<{ file: TierFile; frames: HistoryFrame[] }> {
    await fs.mkdir(folder, { recursive: true });
    const file = new TierFile(tier, path.join(folder, `${tier.name}.jsonl`));
    const frames = await file.repairAndRead();
    file.lines = frames.length;
    file.lastAt = frames.at(-1)?.at ?? -Infinity;
    return { file, frames };
  }

  get lineCount(): number {
    return this.lines;
  }

  get lastFrameAt(): number {
    return this.lastAt;
  }

  /** Appends one frame; compacts first when the file is at its line limit. */
  async append(frame: HistoryFrame): Promise<void> {
    if (this.lines >= maxLines(this.tier)) await this.compact(frame.at);
    await fs.appendFile(this.file, encodeFrame(frame));
    this.lines++;
    this.lastAt = frame.at;
  }

  /**
   * Keeps the frames younger than the tier's span (at most its kept line count) by writing them
   * to a temporary file and renaming it over this one.
   */
  async compact(now: number): Promise<void> {
    const text = await fs.readFile(this.file, 'utf8').catch(() => '');
    const lines = text
      .split('\n')
      .filter((line) => (lineTime(line) ?? -Infinity) > now - this.tier.keepMs)
      .slice(-keptLines(this.tier));
    const temporary = `${this.file}.${process.pid}.tmp`;
    await fs.writeFile(temporary, lines.map((line) => `${line}\n`).join(''));
    await fs.rename(temporary, this.file);
    this.lines = lines.length;
  }

  private async repairAndRead(): Promise<HistoryFrame[]> {
    let text: string;
    try {
      text = await fs.readFile(this.file, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw err;
    }
    const end = text.lastIndexOf('\n') + 1;
    if (end < text.length) await fs.truncate(this.file, Buffer.byteLength(text.slice(0, end)));
    return parseLines(text.slice(0, end));
  }
}
