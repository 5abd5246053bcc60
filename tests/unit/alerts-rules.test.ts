/**
 * The alert rules and their de-duplication (main/alerts): a condition is raised once while it
 * holds and resolved once when it clears; facts not read leave an alert as it is; muted rules
 * report nothing; each rule's threshold from the spec; crash loops come from the one crash-loop
 * rule (CRASH_LOOP), failure rates from the AlertMonitor's failure-spike rule.
 */
import { describe, expect, it } from 'vitest';
import type { AlertCondition } from '../../main/alerts/alert-record';
import type { AlertFacts } from '../../main/alerts/alert-facts';
import { unresolvedBuildFailures } from '../../main/alerts/alert-facts';
import { AlertRules } from '../../main/alerts/alert-rules';
import { AlertTracker } from '../../main/alerts/alert-tracker';
import type { AuditEntry } from '../../main/audit/audit-entry';
import type { ClusterStatus, ContainerStatus } from '../../main/cluster/status';
import { CRASH_LOOP } from '../../main/monitor/alerts';
import {
  alertRulesSchema,
  alertsSpecSchema,
  type AlertRulesSpec,
} from '../../main/settings/alerts-spec';
import { parseClusterFile, specToYaml } from '../../main/settings/cluster-file';
import { settingsSchema } from '../../main/settings/settings-schema';
import { GuildhallError } from '../../main/util/errors';

const T0 = Date.UTC(2026, 11, 3, 8, 0, 0);
const SECOND = 1_000;
const MINUTE = 60 * SECOND;
const MIB = 1024 * 1024;

function condition(subject: string, rule: AlertCondition['rule'] = 'diskLow'): AlertCondition {
  return { id: `${rule}:${subject}`, rule, subject, message: `${subject} is low`, detail: {} };
}

describe('de-duplication and resolving', () => {
  it('raises a condition once while it holds and resolves it once when it clears', () => {
    const tracker = new AlertTracker();
    expect(tracker.update([condition('disk')], T0).raised.map((a) => a.id)).toEqual([
      'diskLow:disk',
    ]);
    for (let i = 1; i <= 5; i++) {
      const update = tracker.update([condition('disk')], T0 + i * SECOND);
      expect(update).toEqual({ raised: [], resolved: [] });
    }
    const cleared = tracker.update([], T0 + 10 * SECOND);
    expect(cleared.raised).toEqual([]);
    expect(cleared.resolved).toEqual([
      expect.objectContaining({ id: 'diskLow:disk', raisedAt: T0, resolvedAt: T0 + 10 * SECOND }),
    ]);
    expect(tracker.update([], T0 + 11 * SECOND)).toEqual({ raised: [], resolved: [] });
    expect(tracker.active()).toEqual([]);
    expect(tracker.recent().map((a) => a.id)).toEqual(['diskLow:disk']);
    // Holding again later is a new alert.
    expect(tracker.update([condition('disk')], T0 + 20 * SECOND).raised).toHaveLength(1);
  });

  it("keeps an alert whose facts were not read this tick, and follows a held alert's message", () => {
    const tracker = new AlertTracker();
    tracker.update([condition('q', 'oldestWaiting')], T0);
    const unread = tracker.update([], T0 + SECOND, () => false);
    expect(unread).toEqual({ raised: [], resolved: [] });
    tracker.update([{ ...condition('q', 'oldestWaiting'), message: 'now worse' }], T0 + 2 * SECOND);
    expect(tracker.active()[0]).toMatchObject({ message: 'now worse', raisedAt: T0 });
  });

  it('goes on from saved state: what was active is not raised again', () => {
    const first = new AlertTracker();
    first.update([condition('disk')], T0);
    const second = new AlertTracker(first.active(), first.recent());
    expect(second.update([condition('disk')], T0 + MINUTE)).toEqual({ raised: [], resolved: [] });
  });
});

function container(overrides: Partial<ContainerStatus> = {}): ContainerStatus {
  return {
    id: 'c1',
    name: 'g-crashy-1',
    pool: 'crashy',
    number: 1,
    state: 'running',
    health: 'none',
    restartCount: 0,
    reloads: 0,
    startedAt: null,
    exitCode: null,
    oomKilled: false,
    failingStreak: 0,
    image: 'node',
    ...overrides,
  };
}

function facts(
  at: number,
  overrides: Partial<AlertFacts> = {},
  workers = [container()],
): AlertFacts {
  const status: ClusterStatus = {
    cluster: 'g',
    state: 'running',
    network: true,
    volume: true,
    redis: null,
    workers,
    desiredWorkers: workers.length,
    pools: [],
  };
  return {
    now: at,
    status,
    engineError: null,
    queues: [],
    redisMemory: { usedBytes: 10 * MIB, maxBytes: 100 * MIB },
    disk: { what: 'the home folder', freeBytes: 50_000 * MIB },
    buildFailures: [],
    ...overrides,
  };
}

const defaults = (): AlertRulesSpec => alertRulesSchema.parse({});

describe('the rules', () => {
  it('a crash loop is the one CRASH_LOOP rule: the third crash within the window raises it', () => {
    const rules = new AlertRules();
    const spec = defaults();
    const ids = (n: number, restartCount: number) =>
      rules
        .evaluate(facts(T0 + n * SECOND, {}, [container({ restartCount })]), spec)
        .conditions.map((c) => c.id);
    expect(ids(0, 0)).toEqual([]);
    expect(ids(5, 1)).toEqual([]);
    expect(ids(10, CRASH_LOOP.crashes - 1)).toEqual([]);
    expect(ids(15, CRASH_LOOP.crashes)).toEqual(['crashLoop:g-crashy-1']);
    // The worker removed: the crash loop is over.
    expect(rules.evaluate(facts(T0 + 20 * SECOND, {}, []), spec).conditions).toEqual([]);
  });

  it('a muted rule reports nothing, and counts as judged so its alert resolves', () => {
    const rules = new AlertRules();
    const spec = { ...defaults(), diskLow: { muted: true, freeMb: 1024 } };
    const result = rules.evaluate(facts(T0, { disk: { what: 'd', freeBytes: MIB } }), spec);
    expect(result.conditions).toEqual([]);
    expect(result.judged('diskLow')).toBe(true);
  });

  it('each threshold comes from the spec', () => {
    const rules = new AlertRules();
    const spec = defaults();
    const found = rules.evaluate(
      facts(T0, {
        redisMemory: { usedBytes: 95 * MIB, maxBytes: 100 * MIB },
        disk: { what: 'the engine data folder', freeBytes: 500 * MIB },
        queues: [
          { name: 'slow', failed: 0, completed: 0, oldestWaitingSince: T0 - 20 * MINUTE },
          { name: 'fine', failed: 0, completed: 0, oldestWaitingSince: T0 - 5 * MINUTE },
        ],
        buildFailures: [
          { target: 'pool:tools', action: 'images.build', at: T0, message: 'apt failed' },
        ],
      }),
      spec,
    ).conditions;
    expect(found.map((c) => c.id).sort()).toEqual([
      'diskLow:disk',
      'imageBuildFailed:pool:tools',
      'oldestWaiting:slow',
      'redisMemory:redis',
    ]);
    expect(found.find((c) => c.rule === 'redisMemory')?.detail).toMatchObject({ percent: 95 });
    const looser = {
      ...spec,
      redisMemory: { muted: false, percent: 99 },
      oldestWaiting: { muted: false, minutes: 30 },
      diskLow: { muted: false, freeMb: 100 },
    };
    const fewer = new AlertRules().evaluate(
      facts(T0, {
        redisMemory: { usedBytes: 95 * MIB, maxBytes: 100 * MIB },
        disk: { what: 'd', freeBytes: 500 * MIB },
        queues: [{ name: 'slow', failed: 0, completed: 0, oldestWaitingSince: T0 - 20 * MINUTE }],
      }),
      looser,
    ).conditions;
    expect(fewer).toEqual([]);
  });

  it('a queue failure rate over the threshold within the window (the failure-spike rule)', () => {
    const rules = new AlertRules();
    const spec = {
      ...defaults(),
      failureRate: { muted: false, percent: 50, minFailures: 5, windowMinutes: 5 },
    };
    const q = (failed: number, completed: number) => ({
      queue: [{ name: 'mail', failed, completed, oldestWaitingSince: null }],
    });
    expect(rules.evaluate(facts(T0, { queues: q(0, 0).queue }), spec).conditions).toEqual([]);
    expect(rules.evaluate(facts(T0 + MINUTE, { queues: q(4, 0).queue }), spec).conditions).toEqual(
      [],
    );
    // 6 failed and 4 completed in the window: 60 % ≥ 50 %.
    expect(
      rules
        .evaluate(facts(T0 + 2 * MINUTE, { queues: q(6, 4).queue }), spec)
        .conditions.map((c) => c.id),
    ).toEqual(['failureRate:mail']);
    // Redis unread: the queue rules judge nothing.
    expect(
      rules.evaluate(facts(T0 + 3 * MINUTE, { queues: null }), spec).judged('failureRate'),
    ).toBe(false);
  });

  it('an OOM kill holds for holdMinutes; the engine is unreachable after `checks` failures in a row', () => {
    const rules = new AlertRules();
    const spec = defaults();
    const oom = container({ state: 'exited', exitCode: 137, oomKilled: true });
    expect(rules.evaluate(facts(T0, {}, [oom]), spec).conditions.map((c) => c.id)).toContain(
      'oomKill:g-crashy-1',
    );
    const later = (min: number) =>
      rules.evaluate(facts(T0 + min * MINUTE, {}, [container()]), spec).conditions.map((c) => c.id);
    expect(later(5)).toContain('oomKill:g-crashy-1');
    expect(later(11)).not.toContain('oomKill:g-crashy-1');

    const engine = new AlertRules();
    const down = (n: number) =>
      engine.evaluate(facts(T0 + n * SECOND, { engineError: 'connect ENOENT' }), spec).conditions;
    expect(down(0)).toEqual([]);
    expect(down(1).map((c) => c.id)).toEqual(['engineUnreachable:engine']);
    expect(engine.evaluate(facts(T0 + 2 * SECOND), spec).conditions).toEqual([]);
  });

  it('while the engine does not answer, container alerts are neither raised nor resolved', () => {
    const rules = new AlertRules();
    const spec = defaults();
    for (const [n, restartCount] of [0, 1, 2, 3].entries()) {
      rules.evaluate(facts(T0 + n * SECOND, {}, [container({ restartCount })]), spec);
    }
    const down = rules.evaluate(facts(T0 + 10 * SECOND, { engineError: 'timeout' }, []), spec);
    expect(down.judged('crashLoop')).toBe(false);
    expect(down.conditions.map((c) => c.rule)).not.toContain('crashLoop');
    const back = rules.evaluate(
      facts(T0 + 20 * SECOND, {}, [container({ restartCount: 3 })]),
      spec,
    );
    expect(back.conditions.map((c) => c.id)).toContain('crashLoop:g-crashy-1');
  });

  it('an image build failure holds until a later run of the same build succeeds', () => {
    const entry = (time: number, outcome: 'ok' | 'error', code = 'image-build-failed') =>
      ({
        time: new Date(time).toISOString(),
        face: 'cli',
        user: 'u',
        action: 'images.build',
        target: 'pool:tools',
        args: {},
        outcome,
        error: outcome === 'ok' ? null : { code, message: 'apt-get failed' },
        durationMs: 1,
        prev: '',
        hash: '',
      }) as AuditEntry;
    expect(unresolvedBuildFailures([entry(T0, 'error')])).toEqual([
      { target: 'pool:tools', action: 'images.build', at: T0, message: 'apt-get failed' },
    ]);
    expect(unresolvedBuildFailures([entry(T0, 'error'), entry(T0 + 1, 'ok')])).toEqual([]);
    expect(unresolvedBuildFailures([entry(T0, 'error', 'engine-unreachable')])).toEqual([]);
  });
});

describe('the spec', () => {
  it('defaults every rule on with no webhook, and refuses two webhooks of one name', () => {
    const spec = alertsSpecSchema.parse({});
    expect(spec.webhooks).toEqual([]);
    expect(Object.values(spec.rules).every((rule) => rule.muted === false)).toBe(true);
    const hook = { name: 'ops', urlSecret: 'OPS_URL' };
    expect(alertsSpecSchema.safeParse({ webhooks: [hook, hook] }).success).toBe(false);
    expect(alertsSpecSchema.safeParse({ webhooks: [{ ...hook, rules: ['nope'] }] }).success).toBe(
      false,
    );
    expect(alertsSpecSchema.parse({ webhooks: [hook] }).webhooks[0]).toEqual({
      ...hook,
      format: 'json',
      rules: [],
    });
  });
});

describe('the cluster file', () => {
  const current = settingsSchema.parse({});
  const text = [
    'name: g',
    'pools: { worker: { replicas: 1 } }',
    'alerts:',
    '  rules: { diskLow: { freeMb: 2048 }, oldestWaiting: { muted: true } }',
    '  webhooks:',
    '    - { name: ops, urlSecret: OPS_URL, format: slack, rules: [crashLoop, oomKill] }',
  ].join('\n');

  it('carries thresholds, mutes and webhooks (by secret name), and writes them back', () => {
    const { spec } = parseClusterFile(text, '/tmp/c.yaml', current, '/home/u');
    expect(spec.alerts.rules.diskLow).toEqual({ muted: false, freeMb: 2048 });
    expect(spec.alerts.rules.oldestWaiting).toEqual({ muted: true, minutes: 15 });
    expect(spec.alerts.webhooks).toEqual([
      { name: 'ops', urlSecret: 'OPS_URL', format: 'slack', rules: ['crashLoop', 'oomKill'] },
    ]);
    const again = parseClusterFile(specToYaml(spec), '/tmp/c.yaml', current, '/home/u').spec;
    expect(again.alerts).toEqual(spec.alerts);
    expect(
      specToYaml(parseClusterFile('name: g', '/tmp/c.yaml', current, '/home/u').spec),
    ).not.toMatch(/alerts/);
  });

  it('refuses an unknown rule by its path, and a URL where a secret name belongs', () => {
    const unknown = (() => {
      try {
        parseClusterFile('alerts: { rules: { diskFull: {} } }', '/tmp/c.yaml', current, '/home/u');
      } catch (err) {
        return err as GuildhallError;
      }
      throw new Error('expected a refusal');
    })();
    expect(unknown.message).toMatch(/alerts\.rules\.diskFull: unknown field "diskFull"/);
    expect(() =>
      parseClusterFile(
        'alerts: { webhooks: [{ name: ops, urlSecret: "https://hooks.example/x" }] }',
        '/tmp/c.yaml',
        current,
        '/home/u',
      ),
    ).toThrow(/alerts\.webhooks\[0\]\.urlSecret/);
  });
});
