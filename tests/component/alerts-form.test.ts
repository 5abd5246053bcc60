/**
 * The Alerts page's form (issue 17): it shows the saved thresholds and each webhook's URL only as
 * "URL set"; a threshold out of the spec's range, a bad webhook name or URL is marked at its
 * field and keeps Save off; adding, replacing a URL and removing a webhook give the input
 * `alerts.save` takes; the server's field errors land at their field; Japanese too.
 */
import { fireEvent, render, screen } from '@testing-library/svelte';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { AlertsConfig } from '../../main/shared/schemas/alerts-config';
import AlertsForm from '../../renderer/src/lib/alerts/AlertsForm.svelte';
import { i18n } from '../../renderer/src/lib/i18n/i18n.svelte';

const CONFIG: AlertsConfig = {
  rules: {
    crashLoop: { muted: false },
    oomKill: { muted: false, holdMinutes: 10 },
    failureRate: { muted: false, percent: 25, minFailures: 10, windowMinutes: 5 },
    oldestWaiting: { muted: false, minutes: 15 },
    redisMemory: { muted: true, percent: 90 },
    diskLow: { muted: false, freeMb: 1024 },
    engineUnreachable: { muted: false, checks: 2 },
    imageBuildFailed: { muted: false },
  },
  webhooks: [
    { name: 'ops', urlSecret: 'OPS_URL', format: 'slack', rules: ['crashLoop'], urlStored: true },
  ],
};

function setup(props: Record<string, unknown> = {}) {
  const onSave = vi.fn();
  const onTest = vi.fn();
  render(AlertsForm, { props: { config: CONFIG, deliveries: [], onSave, onTest, ...props } });
  const save = screen.getByRole('button', { name: 'Save alerts' }) as HTMLButtonElement;
  return { onSave, onTest, save };
}

const input = (id: string) => document.getElementById(id) as HTMLInputElement;
const errorOf = (id: string) =>
  document.getElementById(input(id).getAttribute('aria-describedby')!.split(' ').at(-1)!)
    ?.textContent;

afterEach(() => i18n.setPreference('en'));

describe('alerts form', () => {
  it('shows the saved thresholds and mutes, and a stored URL only as "URL set"', () => {
    const { save } = setup();
    expect(input('rule-diskLow-freeMb').value).toBe('1024');
    expect(input('rule-failureRate-minFailures').value).toBe('10');
    expect(
      (screen.getAllByRole('checkbox', { name: 'Muted' }) as HTMLInputElement[]).map(
        (box) => box.checked,
      ),
    ).toEqual([false, false, false, false, true, false, false, false]);
    expect(screen.getByText('URL set')).toBeTruthy();
    expect(save.disabled).toBe(true);
  });

  it('marks a threshold out of range at its field and refuses to save', async () => {
    const { save, onSave } = setup();
    await fireEvent.input(input('rule-diskLow-freeMb'), { target: { value: '0' } });
    expect(input('rule-diskLow-freeMb').getAttribute('aria-invalid')).toBe('true');
    expect(errorOf('rule-diskLow-freeMb')).toBe('Enter a whole number from 1 to 1048576.');
    expect(save.disabled).toBe(true);
    await fireEvent.submit(save.closest('form')!);
    expect(onSave).not.toHaveBeenCalled();

    await fireEvent.input(input('rule-diskLow-freeMb'), { target: { value: '2048' } });
    await fireEvent.click(screen.getAllByRole('checkbox', { name: 'Muted' })[0]!);
    expect(save.disabled).toBe(false);
    await fireEvent.submit(save.closest('form')!);
    const sent = onSave.mock.calls[0]![0];
    expect(sent.rules.diskLow).toEqual({ muted: false, freeMb: 2048 });
    expect(sent.rules.crashLoop).toEqual({ muted: true });
    // The stored webhook keeps its secret and sends no URL.
    expect(sent.webhooks).toEqual([
      { name: 'ops', format: 'slack', rules: ['crashLoop'], urlSecret: 'OPS_URL' },
    ]);
  });

  it('adds a webhook: name and URL checked at their fields, the URL sent once', async () => {
    const { save, onSave } = setup();
    await fireEvent.click(screen.getByRole('button', { name: 'Add webhook' }));
    // Buttons inside the form other than Save never submit it.
    expect(onSave).not.toHaveBeenCalled();
    expect(errorOf('webhook-1-url')).toBe('Enter the webhook URL.');
    await fireEvent.input(input('webhook-1-name'), { target: { value: 'ops' } });
    expect(errorOf('webhook-1-name')).toBe('Another webhook has this name.');
    await fireEvent.input(input('webhook-1-name'), { target: { value: 'bad name' } });
    expect(errorOf('webhook-1-name')).toMatch(/^Use letters, digits/);
    await fireEvent.input(input('webhook-1-name'), { target: { value: 'pager' } });
    await fireEvent.input(input('webhook-1-url'), { target: { value: 'ftp://example.com/x' } });
    expect(errorOf('webhook-1-url')).toBe('Enter an address starting with http:// or https://.');
    expect(save.disabled).toBe(true);
    await fireEvent.input(input('webhook-1-url'), {
      target: { value: 'https://hooks.example.com/T0/secret' },
    });
    expect(input('webhook-1-url').type).toBe('password');
    await fireEvent.click(screen.getByRole('checkbox', { name: 'Disk space low' }));
    await fireEvent.submit(save.closest('form')!);
    expect(onSave.mock.calls[0]![0].webhooks[1]).toEqual({
      name: 'pager',
      format: 'json',
      rules: ['diskLow'],
      url: 'https://hooks.example.com/T0/secret',
    });
  });

  it('replaces a stored URL from an empty field, and removes a webhook', async () => {
    const { save, onSave } = setup();
    await fireEvent.click(screen.getByRole('button', { name: 'Edit ops' }));
    await fireEvent.click(screen.getByRole('button', { name: 'Replace URL' }));
    expect(onSave).not.toHaveBeenCalled();
    expect(input('webhook-0-url').value).toBe('');
    await fireEvent.input(input('webhook-0-url'), { target: { value: 'https://new.example/h' } });
    await fireEvent.submit(save.closest('form')!);
    expect(onSave.mock.calls[0]![0].webhooks[0]).toMatchObject({
      urlSecret: 'OPS_URL',
      url: 'https://new.example/h',
    });

    const confirm = window.confirm;
    window.confirm = () => true;
    try {
      await fireEvent.click(screen.getByRole('button', { name: 'Remove ops' }));
    } finally {
      window.confirm = confirm;
    }
    await fireEvent.submit(save.closest('form')!);
    expect(onSave.mock.calls[1]![0].webhooks).toEqual([]);
  });

  it("shows the server's field errors at their field", () => {
    setup({
      serverErrors: {
        'rules.oomKill.holdMinutes': { text: 'Alerts not saved: rules.oomKill.holdMinutes: …' },
        'webhooks.0.url': { text: 'Alerts not saved: webhooks.0.url: …' },
      },
    });
    expect(errorOf('rule-oomKill-holdMinutes')).toBe(
      'Alerts not saved: rules.oomKill.holdMinutes: …',
    );
    // The webhook's editor opens to show where its problem is.
    expect(errorOf('webhook-0-url')).toBe('Alerts not saved: webhooks.0.url: …');
  });

  it('speaks Japanese', () => {
    i18n.setPreference('ja');
    render(AlertsForm, {
      props: { config: CONFIG, deliveries: [], onSave: vi.fn(), onTest: vi.fn() },
    });
    expect(screen.getByRole('button', { name: 'アラート設定を保存' })).toBeTruthy();
    expect(screen.getByText('URL 設定済み')).toBeTruthy();
    expect(screen.getByText('空き容量の下限（MiB）')).toBeTruthy();
  });
});
