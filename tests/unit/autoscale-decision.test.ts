/**
 * Autoscale's rule, branch by branch: how many workers a backlog wants within min..max, what
 * holds a scale-up (the 64-container limit, host CPU, host memory with its margin, an unreadable
 * host), what holds a scale-down (cooldown, busy workers), and the reason users read for each.
 */
import { describe, expect, it } from 'vitest';
import {
  decideAutoscale,
  formatMb,
  wantedReplicas,
  type AutoscaleFacts,
} from '../../main/supervisor/autoscale-decision';

const NOW = 1_000_000;

function facts(overrides: Partial<AutoscaleFacts> = {}): AutoscaleFacts {
  return {
    autoscale: { min: 1, max: 6, backlogPerWorker: 80, cooldownSeconds: 60 },
    current: 2,
    backlog: 0,
    host: { availableMb: 16_384, cpuPercent: 20 },
    memoryMbPerWorker: 1024,
    memoryMarginMb: 512,
    cpuSaturatedPercent: 90,
    otherPools: 0,
    maxWorkers: 64,
    lastChangeAt: NOW - 120_000,
    now: NOW,
    workers: [
      { number: 1, idle: true },
      { number: 2, idle: true },
    ],
    ...overrides,
  };
}

function idle(count: number) {
  return Array.from({ length: count }, (_, i) => ({ number: i + 1, idle: true }));
}

describe('wantedReplicas', () => {
  it('asks one worker per backlogPerWorker jobs, rounded up, within min and max', () => {
    const spec = { min: 1, max: 6, backlogPerWorker: 80, cooldownSeconds: 60 };
    expect(wantedReplicas(spec, 0)).toBe(1);
    expect(wantedReplicas(spec, 80)).toBe(1);
    expect(wantedReplicas(spec, 81)).toBe(2);
    expect(wantedReplicas(spec, 480)).toBe(6);
    expect(wantedReplicas(spec, 100_000)).toBe(6);
    expect(wantedReplicas({ ...spec, min: 0 }, 0)).toBe(0);
  });
});

describe('decideAutoscale: scale-up', () => {
  it('scales up to what the backlog wants, saying why', () => {
    const d = decideAutoscale(facts({ backlog: 480 }));
    expect(d).toMatchObject({ kind: 'scale-up', target: 6, wanted: 6 });
    if (d.kind === 'steady') throw new Error('expected a change');
    expect(d.reason).toBe('2 → 6: 480 waiting, target 80 per worker');
    expect(d.detail).toMatchObject({ from: 2, to: 6, backlog: 480, perWorker: 80 });
  });

  it('says when max bounds the count', () => {
    const d = decideAutoscale(facts({ backlog: 5000 }));
    expect(d).toMatchObject({ kind: 'scale-up', target: 6 });
    if (d.kind === 'steady') throw new Error('expected a change');
    expect(d.reason).toBe('2 → 6: 5000 waiting, target 80 per worker, max 6');
  });

  it('brings a pool below min up to min with no backlog', () => {
    const d = decideAutoscale(
      facts({ current: 0, workers: [], autoscale: { ...facts().autoscale, min: 2 } }),
    );
    expect(d).toMatchObject({ kind: 'scale-up', target: 2 });
    if (d.kind === 'steady') throw new Error('expected a change');
    expect(d.reason).toBe('0 → 2: 0 waiting, target 80 per worker, min 2');
  });

  it('is not held by the cooldown: a backlog is served at once', () => {
    const d = decideAutoscale(facts({ backlog: 480, lastChangeAt: NOW - 1000 }));
    expect(d.kind).toBe('scale-up');
  });

  it('holds at the 64-container limit of all pools', () => {
    const d = decideAutoscale(facts({ backlog: 480, otherPools: 62 }));
    expect(d).toMatchObject({ kind: 'hold', code: 'limit', target: 2 });
    if (d.kind === 'steady') throw new Error('expected a hold');
    expect(d.reason).toBe('held at 2 (wanted 6): 64 containers in all pools, the limit is 64');
  });

  it('grows only up to the limit when the limit leaves some room', () => {
    const d = decideAutoscale(facts({ backlog: 480, otherPools: 60 }));
    expect(d).toMatchObject({ kind: 'scale-up', target: 4, wanted: 6 });
    if (d.kind === 'steady') throw new Error('expected a change');
    expect(d.reason).toContain('(wanted 6; the limit is 64 containers in all pools)');
  });

  it('holds while host CPU is at or above the saturation threshold', () => {
    const d = decideAutoscale(
      facts({ backlog: 480, host: { availableMb: 16_384, cpuPercent: 97.2 } }),
    );
    expect(d).toMatchObject({ kind: 'hold', code: 'cpu' });
    if (d.kind === 'steady') throw new Error('expected a hold');
    expect(d.reason).toBe('held at 2 (wanted 6): host CPU 97 % ≥ 90 %');
    expect(d.detail).toMatchObject({ cpuPercent: 97, cpuLimit: 90 });
    expect(
      decideAutoscale(facts({ backlog: 480, host: { availableMb: 16_384, cpuPercent: 90 } })).kind,
    ).toBe('hold');
    expect(
      decideAutoscale(facts({ backlog: 480, host: { availableMb: 16_384, cpuPercent: 89.9 } }))
        .kind,
    ).toBe('scale-up');
  });

  it('a threshold of 100 turns the CPU bound off', () => {
    const busy = { availableMb: 16_384, cpuPercent: 100 };
    expect(
      decideAutoscale(facts({ backlog: 480, host: busy, cpuSaturatedPercent: 100 })),
    ).toMatchObject({
      kind: 'scale-up',
      target: 6,
    });
    expect(
      decideAutoscale(facts({ backlog: 480, host: busy, cpuSaturatedPercent: 99 })),
    ).toMatchObject({
      kind: 'hold',
      code: 'cpu',
    });
  });

  it('holds when free memory cannot hold one more worker plus the margin', () => {
    const d = decideAutoscale(
      facts({
        current: 4,
        workers: idle(4),
        backlog: 480,
        host: { availableMb: 1126, cpuPercent: 5 },
      }),
    );
    expect(d).toMatchObject({ kind: 'hold', code: 'memory', target: 4 });
    if (d.kind === 'steady') throw new Error('expected a hold');
    expect(d.reason).toBe(
      'held at 4 (wanted 6): 1.1 GB memory free, 1 GB per worker + 512 MB margin',
    );
    expect(d.detail).toMatchObject({ freeMb: 1126, memoryMb: 1024, marginMb: 512, code: 'memory' });
  });

  it('adds only as many workers as free memory holds', () => {
    // 3.5 GB free − 512 MB margin = 3 GB: three more workers of 1 GB.
    const d = decideAutoscale(
      facts({
        current: 1,
        workers: idle(1),
        backlog: 480,
        host: { availableMb: 3584, cpuPercent: 5 },
      }),
    );
    expect(d).toMatchObject({ kind: 'scale-up', target: 4, wanted: 6 });
    if (d.kind === 'steady') throw new Error('expected a change');
    expect(d.reason).toBe(
      '1 → 4: 480 waiting, target 80 per worker (wanted 6; 3.5 GB memory free, 1 GB per worker + 512 MB margin)',
    );
  });

  it('with no memory limit per worker keeps only the margin free', () => {
    const unlimited = { memoryMbPerWorker: 0, backlog: 480 };
    expect(
      decideAutoscale(facts({ ...unlimited, host: { availableMb: 600, cpuPercent: 5 } })),
    ).toMatchObject({
      kind: 'scale-up',
      target: 6,
    });
    const held = decideAutoscale(
      facts({ ...unlimited, host: { availableMb: 400, cpuPercent: 5 } }),
    );
    expect(held).toMatchObject({ kind: 'hold', code: 'memory' });
    if (held.kind === 'steady') throw new Error('expected a hold');
    expect(held.reason).toBe('held at 2 (wanted 6): 400 MB memory free, 512 MB margin');
  });

  it('names memory, the lasting reason, when CPU is saturated too', () => {
    const d = decideAutoscale(
      facts({
        backlog: 480,
        memoryMarginMb: 1_000_000,
        host: { availableMb: 900, cpuPercent: 100 },
      }),
    );
    expect(d).toMatchObject({ kind: 'hold', code: 'memory' });
  });

  it('a margin larger than the free memory refuses any scale-up', () => {
    const d = decideAutoscale(facts({ backlog: 480, memoryMarginMb: 1_000_000 }));
    expect(d).toMatchObject({ kind: 'hold', code: 'memory', target: 2 });
  });

  it('holds when the host could not be read', () => {
    expect(decideAutoscale(facts({ backlog: 480, host: null }))).toMatchObject({
      kind: 'hold',
      code: 'host-unknown',
    });
  });
});

describe('decideAutoscale: scale-down', () => {
  it('scales down to min once the backlog is gone and the cooldown has passed', () => {
    const d = decideAutoscale(facts({ current: 6, workers: idle(6) }));
    expect(d).toMatchObject({ kind: 'scale-down', target: 1 });
    if (d.kind === 'steady') throw new Error('expected a change');
    expect(d.reason).toBe('6 → 1: 0 waiting, target 80 per worker, min 1');
  });

  it('waits for the cooldown after the last change', () => {
    const d = decideAutoscale(facts({ current: 6, workers: idle(6), lastChangeAt: NOW - 48_500 }));
    expect(d).toMatchObject({ kind: 'hold', code: 'cooldown', target: 6, wanted: 1 });
    if (d.kind === 'steady') throw new Error('expected a hold');
    expect(d.reason).toBe('held at 6 (wanted 1): cooling down, 12 s left of 60 s');
  });

  it('removes idle workers only: stops just above the highest busy one', () => {
    const workers = [
      { number: 1, idle: false },
      { number: 2, idle: true },
      { number: 3, idle: false },
      { number: 4, idle: true },
      { number: 5, idle: true },
    ];
    const d = decideAutoscale(facts({ current: 5, workers }));
    expect(d).toMatchObject({ kind: 'scale-down', target: 3, wanted: 1 });
    if (d.kind === 'steady') throw new Error('expected a change');
    expect(d.reason).toBe(
      '5 → 3: 0 waiting, target 80 per worker, min 1 (wanted 1; worker #3 busy)',
    );
  });

  it('holds while the highest workers are busy', () => {
    const workers = [
      { number: 1, idle: true },
      { number: 2, idle: false },
      { number: 3, idle: false },
    ];
    const d = decideAutoscale(facts({ current: 3, workers }));
    expect(d).toMatchObject({ kind: 'hold', code: 'busy', target: 3 });
    if (d.kind === 'steady') throw new Error('expected a hold');
    expect(d.reason).toBe(
      'held at 3 (wanted 1): 0 waiting, target 80 per worker, min 1, but worker #3, #2 are busy',
    );
  });

  it('a pool above max comes down to max', () => {
    const d = decideAutoscale(facts({ current: 8, workers: idle(8), backlog: 10_000 }));
    expect(d).toMatchObject({ kind: 'scale-down', target: 6 });
  });

  it('a missing container (not in the pool any more) does not hold a scale-down', () => {
    expect(decideAutoscale(facts({ current: 4, workers: idle(1) }))).toMatchObject({
      kind: 'scale-down',
      target: 1,
    });
  });
});

describe('decideAutoscale: steady', () => {
  it('changes nothing when the count is what the backlog wants', () => {
    expect(decideAutoscale(facts({ backlog: 150 }))).toEqual({
      kind: 'steady',
      target: 2,
      wanted: 2,
    });
  });
});

describe('formatMb', () => {
  it('reads as people write memory', () => {
    expect(formatMb(512)).toBe('512 MB');
    expect(formatMb(1024)).toBe('1 GB');
    expect(formatMb(1126)).toBe('1.1 GB');
    expect(formatMb(20_480)).toBe('20 GB');
  });
});
