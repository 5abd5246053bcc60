import { describe, expect, it } from 'vitest';
import { AlertMonitor } from '../../main/monitor/alerts';
import {
  alertNotificationText,
  resolveTrayLanguage,
  trayMessageIds,
  trayText,
} from '../../main/electron/tray-messages';

describe('tray messages', () => {
  it('picks the language from the settings, else from the OS locale', () => {
    expect(resolveTrayLanguage('ja', 'en-US')).toBe('ja');
    expect(resolveTrayLanguage('en', 'ja-JP')).toBe('en');
    expect(resolveTrayLanguage('system', 'ja-JP')).toBe('ja');
    expect(resolveTrayLanguage('system', 'ja')).toBe('ja');
    expect(resolveTrayLanguage('system', 'de-DE')).toBe('en');
    expect(resolveTrayLanguage('system', '')).toBe('en');
  });

  it('has every message in Japanese, different from the English one except the app name', () => {
    for (const id of trayMessageIds()) {
      const ja = trayText('ja', id);
      expect(ja.length, id).toBeGreaterThan(0);
      if (id !== 'app.name') expect(ja, id).not.toBe(trayText('en', id));
    }
  });

  it('fills placeholders and keeps the same placeholders in both languages', () => {
    expect(trayText('en', 'status.workers', { running: 2, desired: 5 })).toBe(
      '2 of 5 workers running',
    );
    expect(trayText('en', 'menu.workers')).toBe('Workers: {count}');
    for (const id of trayMessageIds()) {
      const names = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
      expect(names(trayText('ja', id)), id).toEqual(names(trayText('en', id)));
    }
  });

  it('words the crash-loop and failure-spike notifications raised by the alert monitor', () => {
    const monitor = new AlertMonitor({
      crashLoopRestarts: 3,
      crashLoopWindowMs: 10 * 60_000,
      failureSpikeCount: 10,
      failureSpikeWindowMs: 5 * 60_000,
    });
    const worker = (restartCount: number) => ({
      name: 'guildhall-worker-2',
      id: 'c2',
      restartCount,
      state: 'running',
      exitCode: null,
    });
    monitor.observe({ at: 0, workers: [worker(0)], queues: [{ name: 'emails', failed: 0 }] });
    const alerts = monitor.observe({
      at: 60_000,
      workers: [worker(4)],
      queues: [{ name: 'emails', failed: 12 }],
    });
    const crash = alerts.find((a) => a.kind === 'worker-crash-loop');
    const spike = alerts.find((a) => a.kind === 'queue-failure-spike');
    expect(crash && alertNotificationText('en', crash)).toEqual({
      title: 'A worker keeps crashing',
      body: 'guildhall-worker-2 restarted 4 times in 10 min. Open Guildhall to see its log.',
    });
    expect(spike && alertNotificationText('ja', spike)).toEqual({
      title: 'ジョブが失敗しています',
      body: 'キュー「emails」で直近 5 分間に 12 件のジョブが失敗しました。',
    });
  });
});
