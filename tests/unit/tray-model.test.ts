import { describe, expect, it } from 'vitest';
import { MAX_WORKERS } from '../../main/shared/spec-limits';
import {
  flattenTrayMenu,
  trayIconKind,
  trayMenuModel,
  trayTooltip,
  type TrayAction,
  type TrayBusy,
  type TrayMenuItem,
  type TrayPhase,
  type TrayState,
} from '../../main/electron/tray-model';

function state(overrides: Partial<TrayState> = {}): TrayState {
  return {
    phase: 'running',
    busy: null,
    workers: { running: 4, desired: 4 },
    pools: [{ name: 'worker', running: 4, desired: 4 }],
    queues: { total: 3, paused: 0 },
    language: 'en',
    ...overrides,
  };
}

type ItemId = TrayAction | 'status' | 'workers' | 'workers-status';

function item(items: TrayMenuItem[], id: ItemId): Exclude<TrayMenuItem, { type: 'separator' }> {
  const found = flattenTrayMenu(items).find((i) => i.type !== 'separator' && i.id === id);
  if (!found || found.type === 'separator') throw new Error(`no menu item ${id}`);
  return found;
}

/** The enabled state of every control, for table comparisons. */
function enabledMap(s: TrayState): Record<string, boolean> {
  const items = trayMenuModel(s);
  const ids: ItemId[] = [
    'start',
    'stop',
    'workers',
    'add-worker',
    'remove-worker',
    'pause-all',
    'resume-all',
    'open-console',
    'troubleshoot',
    'setup',
    'quit',
  ];
  return Object.fromEntries(ids.map((id) => [id, item(items, id).enabled]));
}

const ALWAYS = { 'open-console': true, troubleshoot: true, setup: true, quit: true };

describe('trayMenuModel: the menu layout', () => {
  it('has the status line, start/stop, workers with add/remove, pause/resume, console, troubleshoot, setup and quit in order', () => {
    const items = trayMenuModel(state());
    const shape = items.map((i) => (i.type === 'separator' ? '---' : i.id));
    expect(shape).toEqual([
      'status',
      '---',
      'start',
      'stop',
      'workers',
      'pause-all',
      'resume-all',
      '---',
      'open-console',
      'troubleshoot',
      'setup',
      '---',
      'quit',
    ]);
    const workers = item(items, 'workers');
    expect(workers.type).toBe('submenu');
    if (workers.type !== 'submenu') return;
    expect(workers.submenu.map((i) => (i.type === 'separator' ? '---' : i.id))).toEqual([
      'workers-status',
      '---',
      'add-worker',
      'remove-worker',
    ]);
  });

  it('labels the items in English, with the worker count', () => {
    const items = trayMenuModel(state({ workers: { running: 3, desired: 4 } }));
    expect(item(items, 'status').label).toBe('Cluster running');
    expect(item(items, 'status').enabled).toBe(false);
    expect(item(items, 'workers').label).toBe('Workers: 4');
    expect(item(items, 'workers-status').label).toBe('3 of 4 workers running');
    expect(item(items, 'start').label).toBe('Start cluster');
    expect(item(items, 'stop').label).toBe('Stop cluster');
    expect(item(items, 'add-worker').label).toBe('Add one');
    expect(item(items, 'remove-worker').label).toBe('Remove one');
    expect(item(items, 'pause-all').label).toBe('Pause all queues');
    expect(item(items, 'resume-all').label).toBe('Resume all queues');
    expect(item(items, 'open-console').label).toBe('Open console');
    expect(item(items, 'quit').label).toBe('Quit Guildhall');
  });

  it('labels the items in Japanese when the language is ja', () => {
    const items = trayMenuModel(state({ language: 'ja', workers: { running: 2, desired: 2 } }));
    expect(item(items, 'status').label).toBe('クラスターは稼働中です');
    expect(item(items, 'start').label).toBe('クラスターを起動');
    expect(item(items, 'stop').label).toBe('クラスターを停止');
    expect(item(items, 'workers').label).toBe('ワーカー: 2');
    expect(item(items, 'quit').label).toBe('Guildhall を終了');
  });
});

describe('trayMenuModel: enabled states for every cluster phase', () => {
  const cases: { phase: TrayPhase; expected: Record<string, boolean>; status: string }[] = [
    {
      phase: 'checking',
      status: 'Checking the cluster…',
      expected: {
        start: false,
        stop: false,
        workers: false,
        'add-worker': false,
        'remove-worker': false,
        'pause-all': false,
        'resume-all': false,
        ...ALWAYS,
      },
    },
    {
      phase: 'no-engine',
      status: 'No container engine',
      expected: {
        start: false,
        stop: false,
        workers: false,
        'add-worker': false,
        'remove-worker': false,
        'pause-all': false,
        'resume-all': false,
        ...ALWAYS,
      },
    },
    {
      phase: 'absent',
      status: 'Cluster not created',
      expected: {
        start: true,
        stop: false,
        workers: false,
        'add-worker': false,
        'remove-worker': false,
        'pause-all': false,
        'resume-all': false,
        ...ALWAYS,
      },
    },
    {
      phase: 'stopped',
      status: 'Cluster stopped',
      expected: {
        start: true,
        stop: false,
        workers: false,
        'add-worker': false,
        'remove-worker': false,
        'pause-all': false,
        'resume-all': false,
        ...ALWAYS,
      },
    },
    {
      phase: 'starting',
      status: 'Cluster starting…',
      expected: {
        start: false,
        stop: true,
        workers: false,
        'add-worker': false,
        'remove-worker': false,
        'pause-all': false,
        'resume-all': false,
        ...ALWAYS,
      },
    },
    {
      phase: 'running',
      status: 'Cluster running',
      expected: {
        start: false,
        stop: true,
        workers: true,
        'add-worker': true,
        'remove-worker': true,
        'pause-all': true,
        'resume-all': false, // no queue is paused
        ...ALWAYS,
      },
    },
    {
      phase: 'degraded',
      status: 'Cluster needs attention',
      expected: {
        start: true, // up repairs a degraded cluster
        stop: true,
        workers: true,
        'add-worker': true,
        'remove-worker': true,
        'pause-all': true,
        'resume-all': false,
        ...ALWAYS,
      },
    },
    {
      phase: 'error',
      status: 'Cluster status unavailable',
      expected: {
        start: true,
        stop: false,
        workers: false,
        'add-worker': false,
        'remove-worker': false,
        'pause-all': false,
        'resume-all': false,
        ...ALWAYS,
      },
    },
  ];

  for (const { phase, expected, status } of cases) {
    it(`${phase}: status "${status}", controls ${JSON.stringify(expected)}`, () => {
      const s = state({ phase });
      expect(enabledMap(s)).toEqual(expected);
      expect(item(trayMenuModel(s), 'status').label).toBe(status);
    });
  }
});

describe('trayMenuModel: while an action runs', () => {
  const busyKinds: { busy: TrayBusy; status: string }[] = [
    { busy: 'start', status: 'Starting the cluster…' },
    { busy: 'stop', status: 'Stopping the cluster…' },
    { busy: 'scale', status: 'Changing the number of workers…' },
    { busy: 'pause', status: 'Pausing all queues…' },
    { busy: 'resume', status: 'Resuming all queues…' },
  ];
  for (const phase of ['running', 'degraded', 'stopped', 'absent'] as const) {
    for (const { busy, status } of busyKinds) {
      it(`${phase} + busy ${busy}: only console, troubleshoot, setup and quit are enabled; the status says "${status}"`, () => {
        const s = state({ phase, busy, queues: { total: 2, paused: 1 } });
        expect(enabledMap(s)).toEqual({
          start: false,
          stop: false,
          workers: false,
          'add-worker': false,
          'remove-worker': false,
          'pause-all': false,
          'resume-all': false,
          ...ALWAYS,
        });
        expect(item(trayMenuModel(s), 'status').label).toBe(status);
      });
    }
  }
});

describe('trayMenuModel: workers and queues limits', () => {
  it('disables "Remove one" at 0 workers but keeps "Add one"', () => {
    const s = state({ workers: { running: 0, desired: 0 } });
    expect(enabledMap(s)).toMatchObject({
      workers: true,
      'add-worker': true,
      'remove-worker': false,
    });
  });

  it(`disables "Add one" at the maximum of ${MAX_WORKERS} workers`, () => {
    const s = state({ workers: { running: MAX_WORKERS, desired: MAX_WORKERS } });
    expect(enabledMap(s)).toMatchObject({ 'add-worker': false, 'remove-worker': true });
    const below = state({ workers: { running: 63, desired: MAX_WORKERS - 1 } });
    expect(enabledMap(below)).toMatchObject({ 'add-worker': true });
  });

  it('enables Pause only while some queue runs and Resume only while some queue is paused', () => {
    expect(enabledMap(state({ queues: { total: 3, paused: 0 } }))).toMatchObject({
      'pause-all': true,
      'resume-all': false,
    });
    expect(enabledMap(state({ queues: { total: 3, paused: 1 } }))).toMatchObject({
      'pause-all': true,
      'resume-all': true,
    });
    expect(enabledMap(state({ queues: { total: 3, paused: 3 } }))).toMatchObject({
      'pause-all': false,
      'resume-all': true,
    });
  });

  it('disables both with no queues, and offers both when the queues cannot be read', () => {
    expect(enabledMap(state({ queues: { total: 0, paused: 0 } }))).toMatchObject({
      'pause-all': false,
      'resume-all': false,
    });
    expect(enabledMap(state({ queues: null }))).toMatchObject({
      'pause-all': true,
      'resume-all': true,
    });
  });
});

describe('trayIconKind and trayTooltip', () => {
  it('maps every phase to an icon, busy first', () => {
    const kinds = Object.fromEntries(
      (
        [
          'checking',
          'no-engine',
          'error',
          'absent',
          'stopped',
          'starting',
          'running',
          'degraded',
        ] as const
      ).map((phase) => [phase, trayIconKind(state({ phase }))]),
    );
    expect(kinds).toEqual({
      checking: 'busy',
      'no-engine': 'no-engine',
      error: 'degraded',
      absent: 'stopped',
      stopped: 'stopped',
      starting: 'busy',
      running: 'running',
      degraded: 'degraded',
    });
    expect(trayIconKind(state({ phase: 'running', busy: 'scale' }))).toBe('busy');
    expect(trayIconKind(state({ phase: 'no-engine', busy: 'start' }))).toBe('busy');
  });

  it('tells the state and, for a live cluster, the workers', () => {
    expect(trayTooltip(state({ workers: { running: 3, desired: 4 }, phase: 'degraded' }))).toBe(
      'Guildhall — Cluster needs attention · 3 of 4 workers running',
    );
    expect(trayTooltip(state({ phase: 'no-engine' }))).toBe('Guildhall — No container engine');
    expect(trayTooltip(state({ phase: 'stopped' }))).toBe('Guildhall — Cluster stopped');
    expect(trayTooltip(state({ busy: 'stop' }))).toBe('Guildhall — Stopping the cluster…');
    expect(trayTooltip(state({ language: 'ja', phase: 'running' }))).toBe(
      'Guildhall — クラスターは稼働中です · ワーカー 4 / 4 稼働中',
    );
  });
});

describe('trayMenuModel: per-pool workers', () => {
  const pools = [
    { name: 'worker', running: 2, desired: 2 },
    { name: 'tools', running: 1, desired: 1 },
    { name: 'celery', running: 0, desired: 0 },
  ];
  const multi = state({ workers: { running: 3, desired: 3 }, pools });

  function submenuOf(items: TrayMenuItem[]): TrayMenuItem[] {
    const workers = item(items, 'workers');
    if (workers.type !== 'submenu') throw new Error('workers is not a submenu');
    return workers.submenu;
  }

  it('with several pools, shows one submenu per pool with its own add and remove', () => {
    const submenu = submenuOf(trayMenuModel(multi));
    const poolItems = submenu.filter((i) => i.type === 'submenu');
    expect(poolItems.map((i) => (i.type === 'submenu' ? [i.pool, i.label] : null))).toEqual([
      ['worker', 'worker: 2 of 2'],
      ['tools', 'tools: 1 of 1'],
      ['celery', 'celery: 0 of 0'],
    ]);
    for (const pool of poolItems) {
      if (pool.type !== 'submenu') continue;
      expect(
        pool.submenu.map((i) => (i.type === 'action' ? [i.id, i.pool, i.enabled] : null)),
      ).toEqual([
        ['add-worker', pool.pool, true],
        ['remove-worker', pool.pool, pool.pool !== 'celery'],
      ]);
    }
    // No pool-less add/remove beside them: every action names its pool.
    expect(submenu.some((i) => i.type === 'action')).toBe(false);
  });

  it('in Japanese too', () => {
    const submenu = submenuOf(trayMenuModel({ ...multi, language: 'ja' }));
    const tools = submenu.find((i) => i.type === 'submenu' && i.pool === 'tools');
    expect(tools?.type === 'submenu' && tools.label).toBe('tools: 1 / 1');
    expect(
      tools?.type === 'submenu' && tools.submenu[0]?.type === 'action' && tools.submenu[0].label,
    ).toBe('1 つ追加');
  });

  it('adds to no pool once all pools together reach the limit; removes where a pool has some', () => {
    const full = state({
      workers: { running: MAX_WORKERS, desired: MAX_WORKERS },
      pools: [
        { name: 'worker', running: MAX_WORKERS - 1, desired: MAX_WORKERS - 1 },
        { name: 'tools', running: 1, desired: 1 },
      ],
    });
    const actions = flattenTrayMenu(trayMenuModel(full)).filter(
      (i) => i.type === 'action' && i.pool,
    );
    expect(actions.map((i) => (i.type === 'action' ? [i.id, i.pool, i.enabled] : null))).toEqual([
      ['add-worker', 'worker', false],
      ['remove-worker', 'worker', true],
      ['add-worker', 'tools', false],
      ['remove-worker', 'tools', true],
    ]);
  });

  it('while busy or stopped, no pool can be scaled', () => {
    for (const s of [
      { ...multi, busy: 'scale' as const },
      { ...multi, phase: 'stopped' as const },
    ]) {
      const actions = flattenTrayMenu(trayMenuModel(s)).filter(
        (i) => i.type === 'action' && i.pool,
      );
      expect(actions.length).toBe(6);
      expect(actions.every((i) => i.type === 'action' && !i.enabled)).toBe(true);
    }
  });

  it('with the default pool alone, keeps the plain add and remove of the default pool', () => {
    const submenu = submenuOf(trayMenuModel(state()));
    expect(submenu.map((i) => (i.type === 'separator' ? '---' : i.id))).toEqual([
      'workers-status',
      '---',
      'add-worker',
      'remove-worker',
    ]);
    expect(submenu.every((i) => i.type !== 'action' || i.pool === undefined)).toBe(true);
  });
});
