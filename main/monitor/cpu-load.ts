/**
 * CPU load (total and per core, in %) from the per-CPU time counters Node reads itself
 * (os.cpus()), shaped like systeminformation's currentLoad(). That function runs
 * `cat /proc/stat | grep cpu` as a synchronous child process on every call on Linux, which at a
 * 1 s tick was most of the console's CPU while it watched a cluster; this reads no process.
 *
 *   const currentLoad = createCpuLoadReader();
 *   await currentLoad(); // since boot, and primes the counters
 *   await currentLoad(); // since the previous call
 */
import os from 'node:os';

export interface CpuLoad {
  currentLoad: number;
  cpus: { load: number }[];
}

type CpuTimes = os.CpuInfo['times'];

const ZERO: CpuTimes = { user: 0, nice: 0, sys: 0, idle: 0, irq: 0 };

export function createCpuLoadReader(
  readCpus: () => os.CpuInfo[] = os.cpus,
): () => Promise<CpuLoad> {
  let previous: CpuTimes[] | null = null;
  return async () => {
    const now = readCpus().map((cpu) => cpu.times);
    // The first call, or a changed CPU count (hotplug), measures since boot.
    const base = previous?.length === now.length ? previous : now.map(() => ZERO);
    previous = now;
    let busyAll = 0;
    let totalAll = 0;
    const cpus = now.map((times, i) => {
      const before = base[i] ?? ZERO;
      const busy =
        times.user -
        before.user +
        (times.nice - before.nice) +
        (times.sys - before.sys) +
        (times.irq - before.irq);
      const total = busy + (times.idle - before.idle);
      busyAll += busy;
      totalAll += total;
      return { load: total > 0 ? (busy / total) * 100 : 0 };
    });
    return { currentLoad: totalAll > 0 ? (busyAll / totalAll) * 100 : 0, cpus };
  };
}
