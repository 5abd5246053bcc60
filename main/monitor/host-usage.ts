/**
 * The host's CPU load since the previous read and its memory in use, read on demand: what the
 * history recorder needs every 5 s, without the HostMonitor's timers, host basics and disk
 * readings (which start child processes). Memory in use is total − available, the one rule the
 * HostMonitor uses too.
 */
import * as systeminformation from 'systeminformation';
import { createCpuLoadReader } from './cpu-load';

export interface HostUsage {
  /** Whole-machine CPU load since the previous read, 0–100. */
  cpuPercent: number;
  memoryUsedBytes: number;
  memoryTotalBytes: number;
}

/** Memory in use by programs: total minus what the kernel says is available (page cache is). */
export function memoryInUse(mem: { total: number; available: number }): {
  usedBytes: number;
  totalBytes: number;
  availableBytes: number;
} {
  const totalBytes = mem.total;
  const availableBytes = Math.min(Math.max(0, mem.available), totalBytes);
  return { usedBytes: totalBytes - availableBytes, totalBytes, availableBytes };
}

/** A reader whose every call covers the time since the previous one (the first, since boot). */
export function createHostUsageReader(
  readMemory: () => Promise<{ total: number; available: number }> = () => systeminformation.mem(),
): () => Promise<HostUsage> {
  const readLoad = createCpuLoadReader();
  return async () => {
    const [load, mem] = await Promise.all([readLoad(), readMemory()]);
    const memory = memoryInUse(mem);
    return {
      cpuPercent: Math.min(100, Math.max(0, load.currentLoad)),
      memoryUsedBytes: memory.usedBytes,
      memoryTotalBytes: memory.totalBytes,
    };
  };
}
