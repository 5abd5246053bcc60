import { fireEvent, render, screen } from '@testing-library/svelte';
import { describe, expect, it, vi } from 'vitest';
import AddJobForm from '../../renderer/src/lib/queues/AddJobForm.svelte';
import { checkAddJob } from '../../renderer/src/lib/queues/add-job-model';
import { findJsonProblem } from '../../renderer/src/lib/queues/json-check';

function dataEditor(): HTMLTextAreaElement {
  return screen.getByLabelText('Data (JSON)') as HTMLTextAreaElement;
}

function submitButton(): HTMLButtonElement {
  return screen.getByRole('button', { name: 'Add job' }) as HTMLButtonElement;
}

describe('add-job form', () => {
  it('shows the line and column of a JSON syntax error and keeps Submit disabled', async () => {
    render(AddJobForm, { queues: [], initialQueue: 'echo' });
    await fireEvent.input(dataEditor(), { target: { value: '{\n  "message": "hi",\n}' } });
    expect(screen.getByTestId('json-error').textContent).toContain(
      'Line 3, column 1: remove the comma before “}”',
    );
    expect(submitButton().disabled).toBe(true);

    await fireEvent.input(dataEditor(), { target: { value: '{\n  "a": 1\n  "b": 2\n}' } });
    expect(screen.getByTestId('json-error').textContent).toContain(
      'Line 3, column 3: expected “,” or “}” after the value',
    );
  });

  it('shows the shell processor field error when the command is missing', async () => {
    render(AddJobForm, { queues: [], initialQueue: 'shell' });
    // The shell template is valid to start with.
    expect(submitButton().disabled).toBe(false);
    await fireEvent.input(dataEditor(), { target: { value: '{ "cwd": "/tmp" }' } });
    const issues = screen.getByTestId('data-issues');
    expect(issues.textContent).toContain('command');
    expect(issues.textContent).toContain('expected a non-empty array of strings');
    expect(submitButton().disabled).toBe(true);

    await fireEvent.input(dataEditor(), { target: { value: '{ "command": [], "colour": 1 }' } });
    expect(screen.getByTestId('data-issues').textContent).toContain('unknown field(s): colour');
  });

  it('enables Submit for valid input, sends it and links to the new job', async () => {
    const submit = vi.fn(async (input: { queue: string }) => ({
      queue: input.queue,
      id: '42',
      name: 'greet',
      created: true,
      newQueue: false,
    }));
    render(AddJobForm, { queues: ['reports'], initialQueue: 'shell', submit });
    await fireEvent.input(dataEditor(), {
      target: { value: '{ "command": ["sh", "-c", "exit 3"] }' },
    });
    await fireEvent.input(screen.getByLabelText('Job name'), { target: { value: 'greet' } });
    await fireEvent.input(screen.getByLabelText('Attempts'), { target: { value: '3' } });
    expect(screen.getByText('Valid JSON')).toBeTruthy();
    expect(submitButton().disabled).toBe(false);

    await fireEvent.click(submitButton());
    expect(submit).toHaveBeenCalledWith({
      queue: 'shell',
      name: 'greet',
      data: { command: ['sh', '-c', 'exit 3'] },
      options: { attempts: 3 },
    });
    const link = (await screen.findByRole('link', { name: 'Open job 42' })) as HTMLAnchorElement;
    expect(link.getAttribute('href')).toBe('#/jobs?queue=shell&job=42');
    expect(screen.getByRole('status').textContent).toContain('Job 42 added to queue shell.');
  });

  it('shows the API error with its fix hint when adding fails', async () => {
    const submit = vi.fn(async () => {
      throw new Error('socket closed');
    });
    render(AddJobForm, { initialQueue: 'echo', submit });
    await fireEvent.click(submitButton());
    expect((await screen.findByRole('alert')).textContent).toContain(
      'Guildhall could not be reached.',
    );
  });

  it('checks a new queue name and the option ranges', async () => {
    const base = { name: '', dataText: '{}', attempts: 1, delayMs: 0, priority: 0 };
    expect(checkAddJob({ ...base, queue: 'bad name' }).fields.queue?.key).toBe(
      'queues.addJobForm.errors.queueName',
    );
    expect(checkAddJob({ ...base, queue: 'reports', attempts: 0 }).fields.attempts).toEqual({
      key: 'queues.addJobForm.errors.range',
      params: { min: 1, max: 100 },
    });
    expect(checkAddJob({ ...base, queue: 'sleep', dataText: '{"ms": -1}' }).dataIssues).toEqual([
      { path: 'ms', key: 'queues.rules.sleepMs' },
    ]);
    expect(
      checkAddJob({ ...base, queue: 'http', dataText: '{"url":"https://x.test","body":"a"}' })
        .dataIssues,
    ).toEqual([{ path: 'body', key: 'queues.rules.bodyWithGet' }]);
    // A custom queue takes any JSON; an empty editor means {}.
    expect(checkAddJob({ ...base, queue: 'reports', dataText: '' }).input).toEqual({
      queue: 'reports',
      data: {},
      options: { attempts: 1 },
    });
  });

  it('locates JSON problems precisely', () => {
    expect(findJsonProblem('{"a": 1}')).toBeNull();
    expect(findJsonProblem('')).toMatchObject({ reason: 'empty', line: 1, column: 1 });
    expect(findJsonProblem('{"a": tru}')).toMatchObject({
      reason: 'unexpected-character',
      column: 10,
    });
    expect(findJsonProblem('[1, 2')).toMatchObject({ reason: 'unexpected-end', column: 6 });
    expect(findJsonProblem('{"a": "x\ny"}')).toMatchObject({
      reason: 'control-character',
      line: 1,
      column: 9,
    });
    expect(findJsonProblem('{"a": 01}')).toMatchObject({ reason: 'bad-number' });
    expect(findJsonProblem('{} x')).toMatchObject({ reason: 'extra-text', column: 4 });
    expect(findJsonProblem("{'a': 1}")).toMatchObject({ reason: 'expected-key', column: 2 });
  });
});
