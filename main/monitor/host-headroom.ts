/**
 * How much the host can still give, read the way the host monitor reads it: available memory
 * from systeminformation, CPU use from the per-CPU counters since the previous reading
 * (cpu-load.ts, no child process), over at least a second. Autoscale asks it once per tick.
 *
 *   const headroom = createHostHeadroomReader();
 *   await headroom(); // { availableMb: 21234, cpuPercent: 12.5 }
 */
import * as systeminformation from 'systeminformation';
import { createCpuLoadReader } from './cpu-load';

export interface HostHeadroomReading {
  /** Memory the host can still give (MemAvailable on Linux), MiB. */
  availableMb: number;
  /** CPU use of all cores, %, since the previous reading. */
  cpuPercent: number;
}

/**
 * CPU use is measured over at least this long: os.cpus() counts in 10 ms steps, so a reading
 * over a few milliseconds says 0 % or 100 % by chance. A younger measurement is reused.
 */
export const MIN_CPU_WINDOW_MS = 1_000;

export function createHostHeadroomReader(
  readMemory: () => Promise<{ available: number }> = () => systeminformation.mem(),
  now: () => number = Date.now,
): () => Promise<HostHeadroomReading> {
  const cpuLoad = createCpuLoadReader();
  // The first reading measures since boot; prime it so the first tick measures since now.
  void cpuLoad();
  let measuredAt = now();
  let cpuPercent: number | null = null;
  const readCpu = async (): Promise<number> => {
    if (cpuPercent !== null && now() - measuredAt < MIN_CPU_WINDOW_MS) return cpuPercent;
    const load = await cpuLoad();
    measuredAt = now();
    const value = Number.isFinite(load.currentLoad) ? load.currentLoad : 0;
    cpuPercent = Math.min(100, Math.max(0, value));
    return cpuPercent;
  };
  return async () => {
    const [cpu, memory] = await Promise.all([readCpu(), readMemory()]);
    return { availableMb: Math.max(0, memory.available) / (1024 * 1024), cpuPercent: cpu };
  };
}
