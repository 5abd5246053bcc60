import os from 'node:os';
import { describe, expect, it } from 'vitest';
import { createCpuLoadReader } from '../../main/monitor/cpu-load';

const cpu = (user: number, sys: number, idle: number, nice = 0, irq = 0): os.CpuInfo => ({
  model: 'test',
  speed: 1000,
  times: { user, nice, sys, idle, irq },
});

describe('createCpuLoadReader', () => {
  it('reports the busy share of each core and of all cores since the previous call', async () => {
    const readings = [
      [cpu(100, 100, 800), cpu(0, 0, 1000)],
      // core 0: 300 busy of 400; core 1: 100 busy (nice + irq) of 1000
      [cpu(300, 200, 900), cpu(0, 0, 1900, 50, 50)],
    ];
    const currentLoad = createCpuLoadReader(() => readings.shift()!);
    const sinceBoot = await currentLoad();
    expect(sinceBoot.cpus.map((c) => c.load)).toEqual([20, 0]);
    expect(sinceBoot.currentLoad).toBe(10);

    const next = await currentLoad();
    expect(next.cpus.map((c) => c.load)).toEqual([75, 10]);
    expect(next.currentLoad).toBeCloseTo((400 / 1400) * 100, 10);
  });

  it('answers 0 % when no time passed and measures since boot again if the CPU count changes', async () => {
    const same = [cpu(10, 10, 80)];
    const readings = [same, same, [cpu(10, 10, 80), cpu(50, 0, 50)]];
    const currentLoad = createCpuLoadReader(() => readings.shift()!);
    await currentLoad();
    expect(await currentLoad()).toEqual({ currentLoad: 0, cpus: [{ load: 0 }] });
    const grown = await currentLoad();
    expect(grown.cpus.map((c) => c.load)).toEqual([20, 50]);
  });

  it('reads this machine: one value per core, each within 0–100 %', async () => {
    const currentLoad = createCpuLoadReader();
    await currentLoad();
    let spin = 0;
    const until = Date.now() + 50;
    while (Date.now() < until) spin++;
    const load = await currentLoad();
    expect(spin).toBeGreaterThan(0);
    expect(load.cpus).toHaveLength(os.cpus().length);
    for (const { load: value } of [...load.cpus, { load: load.currentLoad }]) {
      expect(value).toBeGreaterThanOrEqual(0);
      expect(value).toBeLessThanOrEqual(100);
    }
    expect(load.currentLoad).toBeGreaterThan(0);
  });
});
