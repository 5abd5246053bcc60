import { fireEvent, render, screen, within } from '@testing-library/svelte';
import { describe, expect, it, vi } from 'vitest';
import type { ApiOutputs } from '../../renderer/src/lib/api/client';
import JobDetail from '../../renderer/src/lib/jobs/JobDetail.svelte';
import { timeline } from '../../renderer/src/lib/jobs/job-format';

type Detail = ApiOutputs['queues']['job'];

const T0 = Date.UTC(2026, 10, 21, 3, 0, 0);

/** Shaped like the API's JobDetail output for a shell job that exited with 3. */
const failedJob: Detail = {
  id: '17',
  queue: 'shell',
  name: 'nightly-report',
  state: 'failed',
  dataPreview: '{"command":["sh","-c","exit 3"]}',
  dataBytes: 32,
  attemptsMade: 1,
  maxAttempts: 1,
  priority: 0,
  delay: 0,
  progress: 0,
  timestamp: T0,
  processedOn: T0 + 1_000,
  finishedOn: T0 + 1_250,
  failedReason: 'command exited with code 3',
  data: { command: ['sh', '-c', 'exit 3'] },
  opts: { attempts: 1, removeOnComplete: { count: 10000 } },
  returnvalue: null,
  stacktrace: [
    'Error: command exited with code 3\n    at ChildProcess.<anonymous> (shell.ts:90:14)',
  ],
  logs: ['$ sh -c exit 3', 'exit code 3'],
  logCount: 2,
  dueAt: null,
};

const completedJob: Detail = {
  ...failedJob,
  id: '18',
  queue: 'echo',
  name: 'job',
  state: 'completed',
  data: { message: 'hello' },
  returnvalue: { message: 'hello', echoed: true },
  failedReason: null,
  stacktrace: [],
  logs: [],
  logCount: 0,
  progress: 60,
};

function panel(): HTMLElement {
  return screen.getByRole('tabpanel');
}

describe('job detail panel', () => {
  it('opens a failed job on its error, with the reason and the stack trace', () => {
    render(JobDetail, { job: failedJob, now: T0 + 5_000 });
    expect(screen.getByRole('tab', { name: 'Error' }).getAttribute('aria-selected')).toBe('true');
    expect(panel().textContent).toContain('command exited with code 3');
    expect(panel().textContent).toContain('at ChildProcess.<anonymous> (shell.ts:90:14)');
    expect(panel().textContent).toContain('Stack trace, attempt 1');
    expect(screen.getByTestId('attempts').textContent).toContain('Attempts 1 of 1');
  });

  it('shows data, result, logs, options and timeline in their tabs', async () => {
    render(JobDetail, { job: failedJob, now: T0 + 5_000 });
    await fireEvent.click(screen.getByRole('tab', { name: 'Data' }));
    expect(JSON.parse(within(panel()).getByText(/command/).textContent!)).toEqual(failedJob.data);
    expect(panel().textContent).toContain('32 bytes');

    await fireEvent.click(screen.getByRole('tab', { name: 'Result' }));
    expect(panel().textContent).toContain('The job failed, so it has no result.');

    await fireEvent.click(screen.getByRole('tab', { name: 'Logs' }));
    const lines = within(panel())
      .getAllByRole('listitem')
      .map((li) => li.textContent);
    expect(lines).toEqual(['1$ sh -c exit 3', '2exit code 3']);

    await fireEvent.click(screen.getByRole('tab', { name: 'Options' }));
    expect(panel().textContent).toContain('"removeOnComplete"');

    await fireEvent.click(screen.getByRole('tab', { name: 'Timeline' }));
    const steps = within(panel())
      .getAllByRole('listitem')
      .map((li) => li.className);
    expect(steps.map((c) => c.split(' ').find((k) => !k.startsWith('svelte-')))).toEqual([
      'created',
      'processed',
      'failed',
    ]);
    expect(panel().textContent).toContain('250 ms');
  });

  it('opens a completed job on its result; arrow keys move between tabs', async () => {
    render(JobDetail, { job: completedJob, now: T0 + 5_000 });
    const result = screen.getByRole('tab', { name: 'Result' });
    expect(result.getAttribute('aria-selected')).toBe('true');
    expect(JSON.parse(panel().querySelector('pre')!.textContent!)).toEqual({
      message: 'hello',
      echoed: true,
    });
    result.focus();
    await fireEvent.keyDown(result, { key: 'ArrowRight' });
    expect(screen.getByRole('tab', { name: 'Logs' }).getAttribute('aria-selected')).toBe('true');
    expect(panel().textContent).toContain('The job wrote no log lines.');
    await fireEvent.keyDown(document.activeElement!, { key: 'ArrowRight' });
    expect(screen.getByRole('progressbar').getAttribute('aria-valuenow')).toBe('60');
    await fireEvent.keyDown(document.activeElement!, { key: 'ArrowRight' });
    expect(panel().textContent).toContain('No error: this job has not failed.');
  });

  it('offers retry only for a failed job and asks before removing', async () => {
    const onaction = vi.fn();
    const { unmount } = render(JobDetail, { job: failedJob, onaction });
    await fireEvent.click(screen.getByRole('button', { name: 'Retry' }));
    expect(onaction).toHaveBeenCalledWith('retry');
    await fireEvent.click(screen.getByRole('button', { name: 'Remove' }));
    expect(onaction).not.toHaveBeenCalledWith('remove');
    expect(screen.getByText('Remove job 17 for good?')).toBeTruthy();
    await fireEvent.click(screen.getByRole('button', { name: 'Remove' }));
    expect(onaction).toHaveBeenLastCalledWith('remove');
    unmount();

    render(JobDetail, { job: completedJob, onaction });
    expect(screen.queryByRole('button', { name: 'Retry' })).toBeNull();
  });

  it('puts a delayed job’s due time on the timeline', () => {
    const delayed: Detail = {
      ...completedJob,
      state: 'delayed',
      delay: 60_000,
      dueAt: T0 + 60_000,
      processedOn: null,
      finishedOn: null,
    };
    expect(timeline(delayed, T0 + 1_000)).toEqual([
      { kind: 'created', at: T0, future: false },
      { kind: 'delayedUntil', at: T0 + 60_000, future: true },
    ]);
  });
});
