import { fireEvent, render, screen, within } from '@testing-library/svelte';
import { describe, expect, it, vi } from 'vitest';
import CheckRow from '../../renderer/src/lib/troubleshoot/CheckRow.svelte';
import FixDialog from '../../renderer/src/lib/troubleshoot/FixDialog.svelte';
import {
  groupByCategory,
  summarize,
  withMuted,
  withResult,
  type CheckOutcome,
  type DiagnosticsRun,
} from '../../renderer/src/lib/troubleshoot/troubleshoot-model';
import { checkTitle, fixLabel } from '../../renderer/src/lib/troubleshoot/troubleshoot-text';

function outcome(partial: Partial<CheckOutcome> & Pick<CheckOutcome, 'id'>): CheckOutcome {
  return {
    category: 'workers',
    title: 'Some check',
    documentation: 'What it looks at.',
    status: 'passed',
    message: 'All good.',
    fixes: [],
    muted: false,
    durationMs: 12,
    ...partial,
  };
}

const crashLoop = outcome({
  id: 'workers.healthy',
  title: 'Workers running, none crash-looping',
  status: 'failed',
  message:
    'worker-1 is crash-looping: restarted 3 times, last exit code 137 (killed with SIGKILL).',
  details: ['worker-1 is crash-looping…', '  last log line'],
  fixes: [
    { id: 'restart-worker:1', label: 'Restart worker-1' },
    { id: 'recreate-worker:1', label: 'Recreate worker-1' },
  ],
});

function renderRow(result: CheckOutcome) {
  const onfix = vi.fn();
  const onmute = vi.fn();
  const view = render(CheckRow, { result, onfix, onmute });
  return { ...view, onfix, onmute };
}

describe('a check result', () => {
  it('a failure shows its status, message, findings and fixes; a fix click names the fix', async () => {
    const { onfix, container } = renderRow(crashLoop);
    const row = container.querySelector('[data-check="workers.healthy"]') as HTMLElement;
    expect(row.classList.contains('failed')).toBe(true);
    const inRow = within(row);
    expect(
      inRow.getByRole('heading', { name: 'Workers running, none crash-looping' }),
    ).toBeTruthy();
    expect(inRow.getByText('Failed')).toBeTruthy();
    expect(row.textContent).toContain('last exit code 137');
    // Failures open with their findings (log lines) shown.
    expect(inRow.getByRole('button', { name: 'Hide details' }).getAttribute('aria-expanded')).toBe(
      'true',
    );
    expect(row.querySelector('pre')?.textContent).toContain('last log line');
    expect(row.textContent).toContain('What this checks:');

    await fireEvent.click(inRow.getByRole('button', { name: 'Recreate worker-1' }));
    expect(onfix).toHaveBeenCalledWith(crashLoop.fixes[1]);
  });

  it('a pass is quiet: no badge, no fixes, no mute, details folded until asked', async () => {
    const { container } = renderRow(
      outcome({
        id: 'redis.config',
        category: 'redis',
        message: 'maxmemory-policy is noeviction.',
      }),
    );
    const row = within(container.querySelector('[data-check="redis.config"]') as HTMLElement);
    expect(row.queryByText('Passed')).toBeNull();
    expect(row.queryByRole('button', { name: 'Mute' })).toBeNull();
    expect(row.getByRole('heading').textContent).toBe('Redis configured for queues');
    expect(container.textContent).not.toContain('What this checks:');
    await fireEvent.click(row.getByRole('button', { name: 'Show details' }));
    expect(container.textContent).toContain('What this checks: What it looks at.');
  });

  it('mute toggles; a muted failure says so and offers Unmute', async () => {
    const first = renderRow(crashLoop);
    await fireEvent.click(first.getByRole('button', { name: 'Mute' }));
    expect(first.onmute).toHaveBeenCalledWith(true);
    first.unmount();

    const muted = renderRow({ ...crashLoop, muted: true });
    expect(muted.getByText('Muted')).toBeTruthy();
    await fireEvent.click(muted.getByRole('button', { name: 'Unmute' }));
    expect(muted.onmute).toHaveBeenCalledWith(false);
  });

  it('shows how a fix ended: its message and the recheck, or the error with its hint', () => {
    const done = render(CheckRow, {
      result: crashLoop,
      fixState: {
        fix: crashLoop.fixes[1]!,
        operationId: 'op',
        running: false,
        message: 'worker-1 was recreated.',
        error: null,
        recheck: 'passed',
      },
      onfix: vi.fn(),
      onmute: vi.fn(),
    });
    expect(done.container.textContent).toContain('worker-1 was recreated.');
    expect(done.container.textContent).toContain('Checked again: it passes now.');
    done.unmount();

    const failed = render(CheckRow, {
      result: crashLoop,
      fixState: {
        fix: crashLoop.fixes[0]!,
        operationId: 'op',
        running: false,
        message: null,
        error: {
          code: 'not-found',
          message: 'There is no container x.',
          hint: 'Start the cluster.',
        },
        recheck: null,
      },
      onfix: vi.fn(),
      onmute: vi.fn(),
    });
    expect(failed.getByRole('alert').textContent).toContain('There is no container x.');
    expect(failed.getByRole('alert').textContent).toContain('How to fix: Start the cluster.');
  });
});

describe('results on the page', () => {
  const run: DiagnosticsRun = {
    at: 1,
    durationMs: 5,
    failed: true,
    generalFixes: [],
    results: [
      outcome({ id: 'host.disk', category: 'host' }),
      outcome({ id: 'engine.reachable', category: 'engine' }),
      crashLoop,
      outcome({ id: 'jobs.stalling', category: 'jobs', status: 'warning' }),
      outcome({ id: 'redis.config', category: 'redis', status: 'skipped' }),
    ],
    summary: { passed: 2, failed: 1, warning: 1, skipped: 1, muted: 0 },
  };

  it('groups by category in a fixed order with the worst status of each', () => {
    const groups = groupByCategory(run.results);
    expect(groups.map((g) => [g.category, g.worst])).toEqual([
      ['engine', 'passed'],
      ['redis', 'skipped'],
      ['workers', 'failed'],
      ['jobs', 'warning'],
      ['host', 'passed'],
    ]);
  });

  it('muting takes a failure out of the counts (as the core counts) and back', () => {
    const muted = withMuted(run, 'workers.healthy', true);
    expect(muted.summary).toEqual({ passed: 2, failed: 0, warning: 1, skipped: 1, muted: 1 });
    expect(muted.failed).toBe(false);
    expect(groupByCategory(muted.results).find((g) => g.category === 'workers')?.worst).toBe(
      'passed',
    );
    expect(withMuted(muted, 'workers.healthy', false).summary).toEqual(run.summary);
    expect(summarize(run.results)).toEqual(run.summary);
  });

  it('a recheck replaces its result and updates the counts', () => {
    const fixed = withResult(run, { ...crashLoop, status: 'passed', fixes: [] });
    expect(fixed.summary.failed).toBe(0);
    expect(fixed.failed).toBe(false);
    expect(fixed.results.find((r) => r.id === 'workers.healthy')?.status).toBe('passed');
  });

  it('names checks and fixes in the user language, keeping targets and values', () => {
    expect(checkTitle({ id: 'host.disk', title: 'x' })).toBe('Free disk space');
    expect(checkTitle({ id: 'custom.check', title: 'Custom title' })).toBe('Custom title');
    expect(fixLabel({ id: 'restart-worker:3', label: 'Restart worker-3' })).toBe(
      'Restart worker-3',
    );
    // Another pool's container is named by its fix's target (issue 14).
    expect(fixLabel({ id: 'recreate-worker:tools-2', label: 'Recreate tools-2' })).toBe(
      'Recreate tools-2',
    );
    expect(fixLabel({ id: 'choose-free-port', label: 'Use port 6380 for Redis instead' })).toBe(
      'Use port 6380 for Redis instead',
    );
    expect(fixLabel({ id: 'pull-image:redis', label: 'Pull redis:7.4-bookworm' })).toBe(
      'Pull redis:7.4-bookworm',
    );
    expect(fixLabel({ id: 'future-fix', label: 'Something new' })).toBe('Something new');
  });
});

describe('confirming a fix', () => {
  it('a destructive fix runs only after the exact text is typed', async () => {
    const onrun = vi.fn();
    render(FixDialog, {
      fix: {
        id: 'reset-cluster-wipe',
        label: 'Reset the cluster and delete all Redis data',
        destructive: true,
        confirm: 'my-cluster',
      },
      onrun,
      oncancel: vi.fn(),
    });
    const run = screen.getByRole('button', { name: 'Run' }) as HTMLButtonElement;
    const input = screen.getByLabelText(/To confirm, type/) as HTMLInputElement;
    expect(run.disabled).toBe(true);
    await fireEvent.input(input, { target: { value: 'my-cluste' } });
    expect(run.disabled).toBe(true);
    expect(screen.getByText('The text does not match yet.')).toBeTruthy();
    await fireEvent.input(input, { target: { value: 'my-cluster' } });
    expect(run.disabled).toBe(false);
    await fireEvent.click(run);
    expect(onrun).toHaveBeenCalledWith({ confirm: 'my-cluster' });
  });

  it('a fix that loads a file asks for its path', async () => {
    const onrun = vi.fn();
    render(FixDialog, {
      fix: { id: 'load-image', label: 'Load an image from a file…', input: 'file' },
      onrun,
      oncancel: vi.fn(),
    });
    const run = screen.getByRole('button', { name: 'Run' }) as HTMLButtonElement;
    expect(run.disabled).toBe(true);
    await fireEvent.input(screen.getByLabelText(/Image file/), {
      target: { value: ' /tmp/images.tar ' },
    });
    await fireEvent.click(run);
    expect(onrun).toHaveBeenCalledWith({ file: '/tmp/images.tar' });
  });
});
