import { render, screen } from '@testing-library/svelte';
import { afterEach, describe, expect, it } from 'vitest';
import ErrorNotice from '../../renderer/src/lib/ui/ErrorNotice.svelte';
import { i18n } from '../../renderer/src/lib/i18n/i18n.svelte';

const portInUse = {
  code: 'port-in-use' as const,
  message: 'Port 6379 on 127.0.0.1 is already in use by another program.',
  hint: 'Use the next free port: guildhall up --redis-port 6380',
};

afterEach(() => i18n.setPreference('en'));

describe('ErrorNotice', () => {
  it('in English shows the core’s message as the headline and the fix', () => {
    i18n.setPreference('en');
    render(ErrorNotice, { error: portInUse });
    const alert = screen.getByRole('alert');
    expect(alert.querySelector('strong')?.textContent).toBe(portInUse.message);
    expect(alert.textContent).toContain(`How to fix: ${portInUse.hint}`);
  });

  it('in Japanese shows a Japanese headline for the code, the core’s message as English details', () => {
    i18n.setPreference('ja');
    render(ErrorNotice, { error: portInUse });
    const alert = screen.getByRole('alert');
    expect(alert.querySelector('strong')?.textContent).toBe('ポートはすでに使用されています');
    const details = alert.querySelector('[lang="en"]');
    expect(details?.textContent).toBe(portInUse.message);
    expect(alert.textContent).toContain(`対処方法: ${portInUse.hint}`);
  });
});
