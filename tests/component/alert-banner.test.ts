/**
 * The console's alert banner: shown while the rules' journal holds an active alert, in the
 * console's language with the alert's figures, linking to the Alerts page; hidden otherwise.
 */
import { render, screen } from '@testing-library/svelte';
import { afterEach, describe, expect, it } from 'vitest';
import AlertBanner from '../../renderer/src/lib/alerts/AlertBanner.svelte';
import { alertsStore } from '../../renderer/src/lib/alerts/alerts-store.svelte';
import { i18n } from '../../renderer/src/lib/i18n/i18n.svelte';

const crashLoop = {
  id: 'crashLoop:g-worker-1',
  rule: 'crashLoop' as const,
  subject: 'g-worker-1',
  message: 'Worker g-worker-1 crashed 3 times in the last 10 minutes.',
  detail: { worker: 'g-worker-1', crashes: 3, windowMinutes: 10, exitCode: 1 },
  raisedAt: Date.UTC(2026, 11, 3, 8, 0),
  resolvedAt: null,
};

afterEach(() => {
  i18n.setPreference('en');
  alertsStore.journal = null;
});

describe('AlertBanner', () => {
  it('says what is wrong, in the language, and links to the Alerts page', () => {
    i18n.setPreference('en');
    alertsStore.journal = { active: [crashLoop], recent: [], deliveries: [], evaluatedAt: 1 };
    render(AlertBanner);
    const banner = screen.getByRole('alert');
    expect(banner.querySelector('strong')?.textContent?.trim()).toBe(
      'Alert: A worker keeps crashing',
    );
    expect(banner.textContent).toContain('g-worker-1 crashed 3 times in 10 min. See its logs.');
    expect(banner.querySelector('a')?.getAttribute('href')).toBe('#/alerts');
  });

  it('counts several alerts, and speaks Japanese', () => {
    i18n.setPreference('ja');
    const disk = {
      ...crashLoop,
      id: 'diskLow:disk',
      rule: 'diskLow' as const,
      subject: 'disk',
      detail: { freeMb: 300, limitMb: 1024 },
      raisedAt: crashLoop.raisedAt + 1,
    };
    alertsStore.journal = { active: [crashLoop, disk], recent: [], deliveries: [], evaluatedAt: 1 };
    render(AlertBanner);
    const banner = screen.getByRole('alert');
    expect(banner.querySelector('strong')?.textContent?.trim()).toBe(
      '2 件のアラートが発生中（例: ディスクの空き容量が不足しています）',
    );
    expect(banner.textContent).toContain('ディスクの空き容量が 300 MiB しかありません');
  });

  it('is not there without an active alert', () => {
    alertsStore.journal = { active: [], recent: [crashLoop], deliveries: [], evaluatedAt: 1 };
    render(AlertBanner);
    expect(screen.queryByRole('alert')).toBeNull();
  });
});
