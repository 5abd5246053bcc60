/**
 * The workers page's pools: rows grouped in one section per pool with its header, a custom
 * pool's table without the heartbeat columns, restart / stop only for the default pool, and each
 * pool's own worker-count control, bounded so all pools together stay within 64.
 */
import { fireEvent, render, screen, within } from '@testing-library/svelte';
import { describe, expect, it, vi } from 'vitest';
import type { ApiClusterStatus } from '../../renderer/src/lib/api/client';
import { workerRows } from '../../renderer/src/lib/workers/worker-rows';
import WorkerPools from '../../renderer/src/lib/workers/WorkerPools.svelte';

type Container = ApiClusterStatus['workers'][number];

function container(pool: string, number: number, state = 'running'): Container {
  return {
    id: `${pool}-${number}-id`,
    name: `gh-${pool}-${number}`,
    pool,
    number,
    state,
    health: 'none',
    failingStreak: 0,
    restartCount: 0,
    reloads: 0,
    startedAt: new Date(Date.now() - 90_000).toISOString(),
    exitCode: null,
    oomKilled: false,
    image: 'img',
  };
}

function status(workerDesired: number, toolsDesired: number): ApiClusterStatus {
  const workers = [
    container('tools', 1),
    container('worker', 2),
    container('worker', 1),
    container('tools', 2, 'exited'),
  ];
  return {
    cluster: 'gh',
    state: 'running',
    network: true,
    volume: true,
    redis: null,
    workers,
    desiredWorkers: workerDesired + toolsDesired,
    pools: [
      {
        name: 'worker',
        kind: 'builtin',
        image: null,
        desired: workerDesired,
        containers: 2,
        running: 2,
      },
      {
        name: 'tools',
        kind: 'custom',
        image: 'python:3.12-slim',
        desired: toolsDesired,
        containers: 2,
        running: 1,
      },
    ],
  };
}

function setup(s: ApiClusterStatus, scaleError: { pool: string; error: never } | null = null) {
  const onScale = vi.fn();
  const onRestart = vi.fn();
  const onStop = vi.fn();
  render(WorkerPools, {
    props: {
      pools: s.pools,
      rows: workerRows(s, [], new Map(), new Map()),
      now: Date.now(),
      pending: new Set<string>(),
      up: true,
      scaleBusy: false,
      disabled: false,
      scaleError,
      onScale,
      onRestart,
      onStop,
      autoscaleOf: () => null,
      events: [],
    },
  });
  const section = (name: string) => screen.getByRole('region', { name });
  return { onScale, onRestart, onStop, section };
}

describe('workers grouped by pool', () => {
  it('shows one section per pool, in the status order, each with its own rows and header', () => {
    const { section } = setup(status(2, 2));
    const regions = screen.getAllByRole('region');
    expect(regions.map((r) => r.getAttribute('data-pool'))).toEqual(['worker', 'tools']);

    const worker = section('worker');
    const workerNames = within(worker)
      .getAllByRole('rowheader')
      .map((th) => th.querySelector('.target')?.textContent);
    expect(workerNames).toEqual(['worker-1', 'worker-2']);
    expect(worker.textContent).toContain('Built-in');
    expect(worker.textContent).toContain('2 of 2 running');
    expect(within(worker).getByRole('columnheader', { name: 'Current jobs' })).toBeTruthy();
    expect(within(worker).getByRole('button', { name: 'Restart worker-1' })).toBeTruthy();

    const tools = section('tools');
    const toolNames = within(tools)
      .getAllByRole('rowheader')
      .map((th) => th.querySelector('.target')?.textContent);
    expect(toolNames).toEqual(['tools-1', 'tools-2']);
    expect(tools.textContent).toContain('Custom');
    expect(tools.textContent).toContain('python:3.12-slim');
    expect(tools.textContent).toContain('1 of 2 running');
    // A custom pool sends no heartbeat: no jobs or counter columns; restart / stop as any pool.
    expect(within(tools).queryByRole('columnheader', { name: 'Current jobs' })).toBeNull();
    expect(within(tools).queryByRole('columnheader', { name: 'Processed' })).toBeNull();
    expect(within(tools).getByRole('button', { name: 'Restart tools-1' })).toBeTruthy();
    expect(within(tools).getByRole('link', { name: 'Logs of tools-1' })).toBeTruthy();
  });

  it('restarts and stops a worker of any pool by its pool and number', async () => {
    const { onRestart, onStop, section } = setup(status(2, 2));
    const tools = section('tools');
    await fireEvent.click(within(tools).getByRole('button', { name: 'Restart tools-1' }));
    expect(onRestart).toHaveBeenCalledExactlyOnceWith(
      expect.objectContaining({ pool: 'tools', number: 1, target: 'tools-1' }),
    );
    await fireEvent.click(within(tools).getByRole('button', { name: 'Stop tools-1' }));
    expect(onStop).toHaveBeenCalledExactlyOnceWith(
      expect.objectContaining({ pool: 'tools', number: 1 }),
    );
  });

  it("scales the pool whose control was used, by the pool's name", async () => {
    const { onScale, section } = setup(status(2, 2));
    const tools = section('tools');
    await fireEvent.click(within(tools).getByRole('button', { name: 'One worker more' }));
    await fireEvent.click(within(tools).getByRole('button', { name: 'Apply' }));
    expect(onScale).toHaveBeenCalledExactlyOnceWith('tools', 3);

    const worker = section('worker');
    await fireEvent.click(within(worker).getByRole('button', { name: 'One worker fewer' }));
    await fireEvent.click(within(worker).getByRole('button', { name: 'Apply' }));
    expect(onScale).toHaveBeenLastCalledWith('worker', 1);
  });

  it('bounds each pool so all pools together stay within 64, and says so where it bites', async () => {
    const { section } = setup(status(60, 3));
    const tools = section('tools');
    const more = within(tools).getByRole('button', {
      name: 'One worker more',
    }) as HTMLButtonElement;
    const input = within(tools).getByLabelText('Number of workers') as HTMLInputElement;
    expect(tools.textContent).not.toContain('All pools together run at most 64');
    await fireEvent.click(more);
    expect(input.value).toBe('4');
    expect(more.disabled).toBe(true);
    await fireEvent.click(more);
    expect(input.value).toBe('4');
  });

  it('tells a pool with no room left why it cannot grow', () => {
    const { section } = setup(status(60, 4));
    const tools = section('tools');
    expect(tools.textContent).toContain('this pool can have up to 4');
    expect(
      (within(tools).getByRole('button', { name: 'One worker more' }) as HTMLButtonElement)
        .disabled,
    ).toBe(true);
    expect(section('worker').textContent).toContain('this pool can have up to 60');
  });

  it("shows the core's refusal in the section of the pool it concerns", () => {
    const error = {
      code: 'invalid-input',
      message:
        'At most 64 containers in all pools together; this asks for 70 (worker 60, tools 10).',
      hint: 'Lower a pool first.',
    } as never;
    const { section } = setup(status(60, 3), { pool: 'tools', error });
    expect(section('tools').textContent).toContain('At most 64 containers in all pools together');
    expect(section('worker').textContent).not.toContain('At most 64 containers');
  });
});
