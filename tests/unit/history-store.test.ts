/**
 * The history store on a real folder: 5 s frames for the last hour and their 1 min averages for
 * a day; each file compacted at its line limit so the folder stays under the stated bound; a
 * torn last line (a crash mid-write, or a write in flight while another process reads) is
 * skipped by readers and cut by the next writer; a new store over the same folder has it all
 * back, including the minute the last writer left open.
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  COARSE_TIER,
  FINE_TIER,
  HistoryStore,
  historyBoundBytes,
  lineBytesBound,
  readHistory,
  shapeHistory,
  type HistoryFrame,
} from '../../main/history';
import { encodeFrame } from '../../main/history/history-frame';
import { historySchema } from '../../main/shared/schemas/history';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
/** A round start, so minutes and hours fall on frame boundaries. */
const T0 = Date.UTC(2026, 11, 1, 0, 0, 0);

let folder: string;
beforeEach(async () => {
  folder = await fs.mkdtemp(path.join(os.tmpdir(), 'gh-history-'));
});
afterEach(async () => {
  await fs.rm(folder, { recursive: true, force: true });
});

function frame(at: number, containers = 2, cpu = 10): HistoryFrame {
  return {
    at,
    host: { cpuPercent: 20, memoryUsedBytes: 4e9, memoryTotalBytes: 16e9 },
    containers: Array.from({ length: containers }, (_, i) => ({
      name: i === 0 ? 'redis' : `worker-${i}`,
      pool: i === 0 ? 'redis' : i % 2 ? 'worker' : 'tools',
      cpuPercent: cpu + i,
      memoryBytes: 100e6 + i,
    })),
    queues: [{ name: 'default', completedPerSec: 2, failedPerSec: 0.5 }],
  };
}

async function writeSpan(store: HistoryStore, from: number, to: number, containers = 2) {
  for (let at = from; at < to; at += FINE_TIER.stepMs) await store.append(frame(at, containers));
}

const folderBytes = async () => {
  let total = 0;
  for (const name of await fs.readdir(folder))
    total += (await fs.stat(path.join(folder, name))).size;
  return total;
};

describe('history store', () => {
  it('keeps 5 s frames for an hour and reads them back for spans up to an hour', async () => {
    const store = await HistoryStore.open(folder);
    await writeSpan(store, T0, T0 + 10 * MINUTE);
    const read = await readHistory(folder, { from: T0 + 5 * MINUTE, to: T0 + 10 * MINUTE });
    expect(read.stepMs).toBe(5_000);
    expect(read.frames).toHaveLength(60);
    expect(read.frames[0]!.at).toBe(T0 + 5 * MINUTE);
    expect(read.frames[0]!.containers[1]).toEqual({
      name: 'worker-1',
      pool: 'worker',
      cpuPercent: 11,
      memoryBytes: 100e6 + 1,
    });
  });

  it('drops a frame closer than a step to the previous one', async () => {
    const store = await HistoryStore.open(folder);
    expect(await store.append(frame(T0))).toBe(true);
    expect(await store.append(frame(T0 + 1_000))).toBe(false);
    expect(await store.append(frame(T0 + 5_000))).toBe(true);
  });

  it('averages each minute of 5 s frames into one 1 min frame for longer spans', async () => {
    const store = await HistoryStore.open(folder);
    for (let i = 0; i < 12; i++) await store.append(frame(T0 + i * 5_000, 2, i));
    await store.append(frame(T0 + MINUTE, 2, 100));
    const read = await readHistory(folder, { from: T0 - 6 * HOUR, to: T0 + 2 * MINUTE });
    expect(read.stepMs).toBe(MINUTE);
    // The first minute rolled up; the open one stands as the mean of its frames so far.
    expect(read.frames.map((f) => f.at)).toEqual([T0, T0 + MINUTE]);
    expect(read.frames[0]!.containers[0]!.cpuPercent).toBeCloseTo(5.5); // mean of 0…11
    expect(read.frames[1]!.containers[0]!.cpuPercent).toBe(100);
    expect(read.frames[0]!.queues[0]).toEqual({
      name: 'default',
      completedPerSec: 2,
      failedPerSec: 0.5,
    });
  });

  it('shapes the frames into host, cluster, pool, container and queue series', async () => {
    const store = await HistoryStore.open(folder);
    await writeSpan(store, T0, T0 + MINUTE, 3);
    const read = await readHistory(folder, { from: T0, to: T0 + MINUTE });
    const span = { at: T0 + MINUTE, from: T0, to: T0 + MINUTE };
    const all = historySchema.parse(shapeHistory(read, { range: '15m' }, span));
    expect(all.pools.map((p) => p.pool)).toEqual(['redis', 'worker', 'tools']);
    expect(all.cluster[0]).toEqual({ at: T0, cpuPercent: 33, memoryBytes: 300e6 + 3 });
    expect(all.containers).toEqual([]);
    expect(all.throughput[0]).toEqual({ at: T0, completedPerSec: 2, failedPerSec: 0.5 });
    const one = shapeHistory(read, { range: '15m', container: 'worker-2' }, span);
    expect(one.containers.map((c) => [c.name, c.pool, c.points.length])).toEqual([
      ['worker-2', 'tools', 12],
    ]);
    const pool = shapeHistory(read, { range: '15m', pool: 'worker' }, span);
    expect(pool.pools.map((p) => p.pool)).toEqual(['worker']);
    expect(pool.containers.map((c) => c.name)).toEqual(['worker-1']);
  });

  it('is all there again for a new store over the same folder, the open minute rolled up', async () => {
    const first = await HistoryStore.open(folder);
    await writeSpan(first, T0, T0 + 90_000);
    // A restart: the next writer opens the folder and goes on in a later minute.
    const second = await HistoryStore.open(folder);
    expect(second.lastAt).toBe(T0 + 85_000);
    await second.append(frame(T0 + 5 * MINUTE));
    const fine = await readHistory(folder, { from: T0, to: T0 + 10 * MINUTE });
    expect(fine.frames).toHaveLength(19);
    const coarse = await readHistory(folder, { from: T0 - 2 * HOUR, to: T0 + 10 * MINUTE });
    expect(coarse.frames.map((f) => (f.at - T0) / MINUTE)).toEqual([0, 1, 5]);
  });

  it('skips a torn last line when reading, and the next writer cuts it off', async () => {
    const store = await HistoryStore.open(folder);
    await writeSpan(store, T0, T0 + 20_000);
    const fineFile = path.join(folder, 'fine.jsonl');
    await fs.appendFile(fineFile, encodeFrame(frame(T0 + 20_000)).slice(0, 40));
    const read = await readHistory(folder, { from: T0, to: T0 + MINUTE });
    expect(read.frames).toHaveLength(4);
    const reopened = await HistoryStore.open(folder);
    await reopened.append(frame(T0 + 25_000));
    const lines = (await fs.readFile(fineFile, 'utf8')).split('\n');
    expect(lines.at(-1)).toBe('');
    expect(lines.slice(0, -1).every((line) => JSON.parse(line))).toBe(true);
    expect((await readHistory(folder, { from: T0, to: T0 + MINUTE })).frames).toHaveLength(5);
  });

  it('stays under its bound after a day of 16 containers, and keeps the last hour and day', async () => {
    const store = await HistoryStore.open(folder);
    const end = T0 + 26 * HOUR;
    await writeSpan(store, T0, end, 16);
    const bound = historyBoundBytes(16, 1);
    expect(await folderBytes()).toBeLessThanOrEqual(bound);
    const fine = await readHistory(folder, { from: end - HOUR, to: end });
    expect(fine.frames).toHaveLength(HOUR / FINE_TIER.stepMs);
    const day = await readHistory(folder, { from: end - 24 * HOUR, to: end });
    expect(day.frames.length).toBeGreaterThanOrEqual((24 * HOUR) / COARSE_TIER.stepMs);
    expect(lineBytesBound(16, 1)).toBeGreaterThanOrEqual(encodeFrame(frame(end, 16)).length);
  }, 120_000);
});
