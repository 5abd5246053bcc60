/**
 * The Supervisor section of the Settings page (issue 15): the cluster's `supervisor` block shown
 * as saved, each number checked against the spec's limits as it is typed (Save refused while one
 * is wrong), only what changed sent, the server's problems on their field, and the section in
 * Japanese.
 */
import { fireEvent, render, screen } from '@testing-library/svelte';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { i18n } from '../../renderer/src/lib/i18n/i18n.svelte';
import SupervisorCard from '../../renderer/src/lib/settings/SupervisorCard.svelte';
import { supervisorServerErrors } from '../../renderer/src/lib/settings/supervisor-form';
import { settingsFixture } from './fixtures/settings-fixture';

afterEach(() => i18n.setPreference('en'));

const SUPERVISOR = settingsFixture().cluster.supervisor;

function setup(props: Record<string, unknown> = {}) {
  const onSave = vi.fn();
  render(SupervisorCard, { props: { supervisor: SUPERVISOR, onSave, ...props } });
  return { onSave };
}

const saveButton = () => screen.getByRole('button', { name: 'Save' }) as HTMLButtonElement;

const field = (label: string) => screen.getByLabelText(label) as HTMLInputElement;
const errorOf = (input: HTMLInputElement) =>
  document.getElementById(input.getAttribute('aria-describedby')!.split(' ').at(-1)!)?.textContent;

describe('SupervisorCard', () => {
  it('shows the saved block, with Save and Discard only once something changes', async () => {
    setup();
    expect(field('Supervise this cluster').checked).toBe(true);
    expect(field('Failed health checks before a restart').value).toBe('3');
    expect(field('Memory kept free (MB)').value).toBe('512');
    expect(field('Host CPU that stops scale-up (%)').value).toBe('90');
    expect(screen.queryByRole('button', { name: 'Save' })).toBeNull();
    await fireEvent.input(field('Memory kept free (MB)'), { target: { value: '256' } });
    expect(saveButton().disabled).toBe(false);
    await fireEvent.click(screen.getByRole('button', { name: 'Discard' }));
    expect(field('Memory kept free (MB)').value).toBe('512');
    expect(screen.queryByRole('button', { name: 'Save' })).toBeNull();
  });

  it('explains out-of-range values on the field and refuses to save', async () => {
    const { onSave } = setup();
    const checks = field('Failed health checks before a restart');
    await fireEvent.input(checks, { target: { value: '0' } });
    expect(checks.getAttribute('aria-invalid')).toBe('true');
    expect(errorOf(checks)).toBe('Enter a whole number from 1 to 100.');
    const cpu = field('Host CPU that stops scale-up (%)');
    await fireEvent.input(cpu, { target: { value: '5' } });
    expect(errorOf(cpu)).toBe('Enter a number from 10 to 100.');
    expect(saveButton().disabled).toBe(true);
    await fireEvent.submit(saveButton().closest('form')!);
    expect(onSave).not.toHaveBeenCalled();
  });

  it('saves only what changed, as the cluster’s supervisor block', async () => {
    const { onSave } = setup();
    await fireEvent.input(field('Memory kept free (MB)'), { target: { value: '1024' } });
    await fireEvent.input(field('Host CPU that stops scale-up (%)'), {
      target: { value: '87.5' },
    });
    await fireEvent.click(field('Supervise this cluster'));
    expect(saveButton().disabled).toBe(false);
    await fireEvent.click(saveButton());
    expect(onSave).toHaveBeenCalledExactlyOnceWith({
      cluster: { supervisor: { enabled: false, memoryMarginMb: 1024, cpuSaturatedPercent: 87.5 } },
    });
  });

  it('shows the server’s message on the field it names', () => {
    const message = 'Settings not saved: cluster.supervisor.unhealthyChecks: Too big.';
    setup({
      serverErrors: supervisorServerErrors(['cluster.supervisor.unhealthyChecks'], message),
    });
    expect(errorOf(field('Failed health checks before a restart'))).toBe(message);
  });

  it('says it in Japanese', () => {
    i18n.setPreference('ja');
    render(SupervisorCard, { props: { supervisor: SUPERVISOR, onSave: vi.fn() } });
    expect(screen.getByRole('heading', { name: 'スーパーバイザー' })).toBeTruthy();
    expect(field('再起動までのヘルスチェック失敗回数').value).toBe('3');
    expect(screen.getByText(/100 でこの制限はオフになります\(10〜100\)/)).toBeTruthy();
    expect(screen.queryByRole('button', { name: '保存' })).toBeNull();
  });
});
