import { describe, expect, it } from 'vitest';
import { AlertRules } from '../../main/alerts/alert-rules';
import { alertRulesSchema } from '../../main/settings/alerts-spec';
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

  it('words the notifications of the alert rules with the figures the rules report', () => {
    const rules = new AlertRules();
    const spec = alertRulesSchema.parse({ failureRate: { minFailures: 10, windowMinutes: 5 } });
    const worker = (restartCount: number) => ({
      id: 'c2',
      name: 'guildhall-worker-2',
      pool: 'worker',
      number: 2,
      state: 'running',
      health: 'none' as const,
      restartCount,
      reloads: 0,
      startedAt: null,
      exitCode: null,
      oomKilled: false,
      failingStreak: 0,
      image: 'w',
    });
    const facts = (at: number, restarts: number, failed: number) => ({
      now: at,
      status: {
        cluster: 'guildhall',
        state: 'running' as const,
        network: true,
        volume: true,
        redis: null,
        workers: [worker(restarts)],
        desiredWorkers: 1,
        pools: [],
      },
      engineError: null,
      queues: [{ name: 'emails', failed, completed: undefined, oldestWaitingSince: null }],
      redisMemory: null,
      disk: null,
      buildFailures: null,
    });
    rules.evaluate(facts(0, 0, 0), spec);
    const found = rules.evaluate(facts(60_000, 4, 12), spec).conditions;
    const crash = found.find((c) => c.rule === 'crashLoop');
    const spike = found.find((c) => c.rule === 'failureRate');
    expect(crash && alertNotificationText('en', crash)).toEqual({
      title: 'A worker keeps crashing',
      body: 'guildhall-worker-2 crashed 4 times in 10 min. Open Guildhall to see its log.',
    });
    expect(spike && alertNotificationText('ja', spike)).toEqual({
      title: 'ジョブが失敗しています',
      body: 'キュー「emails」で直近 5 分間に 12 件のジョブが失敗しました。',
    });
    expect(
      alertNotificationText('ja', { rule: 'diskLow', detail: { freeMb: 300, limitMb: 1024 } }),
    ).toEqual({
      title: 'ディスクの空き容量が不足しています',
      body: 'ディスクの空き容量が 300 MiB しかありません。',
    });
  });
});
