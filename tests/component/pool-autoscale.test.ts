/**
 * A pool's autoscale panel on the workers page: off with how to turn it on; on with min, max,
 * target, backlog per worker and cooldown; the pool's last scale decisions newest first, worded
 * from their numbers in English and Japanese; other pools' and other duties' events left out.
 */
import { render, screen, within } from '@testing-library/svelte';
import { afterEach, describe, expect, it } from 'vitest';
import type { SupervisorEvent } from '../../main/shared/schemas/supervisor';
import { i18n } from '../../renderer/src/lib/i18n/i18n.svelte';
import PoolAutoscale from '../../renderer/src/lib/workers/PoolAutoscale.svelte';

afterEach(() => i18n.setPreference('en'));

const NOW = Date.UTC(2026, 11, 3, 9, 0, 0);
const AUTOSCALE = { min: 1, max: 6, backlogPerWorker: 80, cooldownSeconds: 60 };

function event(overrides: Partial<SupervisorEvent>): SupervisorEvent {
  return {
    at: NOW - 10_000,
    by: 'console@host:1',
    kind: 'action',
    pool: 'worker',
    target: null,
    action: 'scale-up',
    reason: '2 → 6: 480 waiting, target 80 per worker',
    detail: { from: 2, to: 6, wanted: 6, backlog: 480, perWorker: 80, min: 1, max: 6 },
    ...overrides,
  };
}

const EVENTS: SupervisorEvent[] = [
  event({}),
  event({
    at: NOW - 5_000,
    kind: 'decision',
    action: 'hold',
    reason: 'held at 6 (wanted 8): 1.1 GB memory free, 1 GB per worker + 512 MB margin',
    detail: {
      code: 'memory',
      from: 6,
      to: 6,
      wanted: 8,
      freeMb: 1126,
      memoryMb: 1024,
      marginMb: 512,
    },
  }),
  event({ at: NOW - 1_000, pool: 'tools', reason: 'another pool' }),
  event({ at: NOW - 2_000, action: 'recreate', reason: 'worker-2 was missing' }),
];

describe('PoolAutoscale', () => {
  it('says autoscale is off and how to turn it on', () => {
    render(PoolAutoscale, { props: { pool: 'worker', autoscale: null, desired: 2 } });
    expect(screen.getByText('Off')).toBeTruthy();
    expect(screen.getByText(/Add an autoscale block in Settings or the cluster file/)).toBeTruthy();
  });

  it('shows the block, the target and the pool’s decisions newest first', () => {
    render(PoolAutoscale, {
      props: { pool: 'worker', autoscale: AUTOSCALE, desired: 6, events: EVENTS, now: NOW },
    });
    expect(screen.getByText('On')).toBeTruthy();
    expect(screen.getByText('min 1 · max 6')).toBeTruthy();
    expect(screen.getByText('target 6')).toBeTruthy();
    expect(screen.getByText('80 waiting per worker')).toBeTruthy();
    const items = within(screen.getByRole('list', { name: 'Recent decisions' })).getAllByRole(
      'listitem',
    );
    expect(items).toHaveLength(2);
    expect(items[0]!.textContent).toContain(
      'Held at 6 (wanted 8): 1.1 GB memory free, 1 GB per worker + 512 MB margin',
    );
    expect(items[1]!.textContent).toContain('2 → 6: 480 waiting, target 80 per worker');
    expect(screen.queryByText(/another pool|was missing/)).toBeNull();
  });

  it('says it in Japanese', () => {
    i18n.setPreference('ja');
    render(PoolAutoscale, {
      props: { pool: 'worker', autoscale: AUTOSCALE, desired: 6, events: EVENTS, now: NOW },
    });
    expect(screen.getByText('オートスケール')).toBeTruthy();
    expect(screen.getByText('最小 1 · 最大 6')).toBeTruthy();
    const items = screen.getAllByRole('listitem');
    expect(items[0]!.textContent).toContain('6 のまま（必要数 8）: 空きメモリ');
    expect(items[1]!.textContent).toContain('2 → 6: 待機 480 件、ワーカーあたり目標 80 件');
  });

  it('says "no decisions yet" when autoscale is on but nothing was recorded', () => {
    render(PoolAutoscale, {
      props: { pool: 'worker', autoscale: AUTOSCALE, desired: 1, events: [] },
    });
    expect(screen.getByText(/No decisions yet/)).toBeTruthy();
  });
});
