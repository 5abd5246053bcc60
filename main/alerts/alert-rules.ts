/**
 * The alert rules: from one tick's facts (alert-facts.ts) and the spec's thresholds, every
 * condition holding now. Crash loops and queue failure rates are the process's AlertMonitor's
 * (main/monitor/alerts.ts: CRASH_LOOP is the one crash-loop rule, and its failure-spike rule is
 * the failure rate), fed each tick's workers and queue totals; the other rules are read from
 * the facts here. Muted rules report nothing, so an active alert of a rule muted since resolves.
 */
import { AlertMonitor, workerSamples, type AlertThresholds } from '../monitor/alerts';
import type { AlertRulesSpec } from '../settings/alerts-spec';
import { conditionId, type AlertCondition, type AlertRuleId } from './alert-record';
import type { AlertFacts } from './alert-facts';

const MIB = 1024 * 1024;

export interface RuleResult {
  conditions: AlertCondition[];
  /** Whether the facts a rule needs were read this tick (else its active alerts stay as they are). */
  judged: (rule: AlertRuleId) => boolean;
}

const minutesText = (ms: number) => `${Math.round(ms / 60_000)} min`;

function condition(
  rule: AlertRuleId,
  subject: string,
  message: string,
  detail: AlertCondition['detail'],
): AlertCondition {
  return { id: conditionId(rule, subject), rule, subject, message, detail };
}

function monitorThresholds(rules: AlertRulesSpec): Partial<AlertThresholds> {
  return {
    failureSpikeCount: rules.failureRate.minFailures,
    failureSpikeShare: rules.failureRate.percent / 100,
    failureSpikeWindowMs: rules.failureRate.windowMinutes * 60_000,
  };
}

export class AlertRules {
  private monitor: AlertMonitor | null = null;
  private monitorKey = '';
  private engineFailures = 0;
  /** Container name → when it was last seen killed for running out of memory. */
  private readonly oomSeen = new Map<string, number>();

  evaluate(facts: AlertFacts, rules: AlertRulesSpec): RuleResult {
    const found: AlertCondition[] = [];
    // Without the engine the status is no news of the containers: their alerts stay as they are.
    const engineUp = facts.engineError === null;
    if (engineUp) {
      found.push(...this.fromMonitor(facts, rules));
      found.push(...this.oomKills(facts, rules));
    }
    found.push(...this.engine(facts, rules));
    if (facts.queues) found.push(...oldestWaiting(facts, rules));
    if (facts.redisMemory) found.push(...redisMemory(facts.redisMemory, rules));
    if (facts.disk) found.push(...diskLow(facts.disk, rules));
    for (const failure of facts.buildFailures ?? []) {
      found.push(
        condition(
          'imageBuildFailed',
          failure.target,
          `An image build failed (${failure.action}, ${failure.target}): ${failure.message}`,
          { target: failure.target, action: failure.action },
        ),
      );
    }
    const read: Record<AlertRuleId, boolean> = {
      crashLoop: engineUp,
      oomKill: engineUp,
      engineUnreachable: true,
      failureRate: engineUp && facts.queues !== null,
      oldestWaiting: facts.queues !== null,
      redisMemory: facts.redisMemory !== null,
      diskLow: facts.disk !== null,
      imageBuildFailed: facts.buildFailures !== null,
    };
    return {
      conditions: found.filter((c) => !rules[c.rule].muted),
      judged: (rule) => rules[rule].muted || read[rule],
    };
  }

  private fromMonitor(facts: AlertFacts, rules: AlertRulesSpec): AlertCondition[] {
    const thresholds = monitorThresholds(rules);
    const key = JSON.stringify(thresholds);
    if (!this.monitor || key !== this.monitorKey) {
      this.monitor = new AlertMonitor(thresholds);
      this.monitorKey = key;
    }
    const update = this.monitor.evaluate({
      at: facts.now,
      workers: workerSamples(facts.status.workers),
      queues:
        facts.queues?.map((q) => ({ name: q.name, failed: q.failed, completed: q.completed })) ??
        null,
    });
    return update.active.map((alert) =>
      alert.kind === 'worker-crash-loop'
        ? condition('crashLoop', alert.worker, alert.message, {
            worker: alert.worker,
            crashes: alert.restarts,
            windowMinutes: Math.round(alert.windowMs / 60_000),
            exitCode: alert.lastExitCode ?? '',
          })
        : condition('failureRate', alert.queue, alert.message, {
            queue: alert.queue,
            failures: alert.failures,
            completed: alert.completed ?? '',
            windowMinutes: Math.round(alert.windowMs / 60_000),
          }),
    );
  }

  private oomKills(facts: AlertFacts, rules: AlertRulesSpec): AlertCondition[] {
    const holdMs = rules.oomKill.holdMinutes * 60_000;
    const containers = [
      ...facts.status.workers,
      ...(facts.status.redis ? [facts.status.redis] : []),
    ];
    for (const c of containers) if (c.oomKilled) this.oomSeen.set(c.name, facts.now);
    const present = new Set(containers.map((c) => c.name));
    const out: AlertCondition[] = [];
    for (const [name, at] of [...this.oomSeen]) {
      if (!present.has(name) || facts.now - at >= holdMs) {
        this.oomSeen.delete(name);
        continue;
      }
      out.push(
        condition(
          'oomKill',
          name,
          `${name} was killed for running out of memory (within the last ${minutesText(holdMs)}). Raise its memory limit or lower its concurrency.`,
          { container: name },
        ),
      );
    }
    return out;
  }

  private engine(facts: AlertFacts, rules: AlertRulesSpec): AlertCondition[] {
    this.engineFailures = facts.engineError === null ? 0 : this.engineFailures + 1;
    if (this.engineFailures < rules.engineUnreachable.checks) return [];
    return [
      condition(
        'engineUnreachable',
        'engine',
        `The container engine does not answer (${this.engineFailures} checks in a row): ${facts.engineError ?? ''}`,
        { checks: this.engineFailures },
      ),
    ];
  }
}

function oldestWaiting(facts: AlertFacts, rules: AlertRulesSpec): AlertCondition[] {
  const limitMs = rules.oldestWaiting.minutes * 60_000;
  return (facts.queues ?? []).flatMap((queue) => {
    if (queue.oldestWaitingSince === null) return [];
    const ageMs = facts.now - queue.oldestWaitingSince;
    if (ageMs <= limitMs) return [];
    return [
      condition(
        'oldestWaiting',
        queue.name,
        `Queue "${queue.name}": its oldest waiting job has waited ${minutesText(ageMs)} (limit ${minutesText(limitMs)}). Add workers or check that a worker serves the queue.`,
        {
          queue: queue.name,
          minutes: Math.round(ageMs / 60_000),
          limit: rules.oldestWaiting.minutes,
        },
      ),
    ];
  });
}

function redisMemory(
  memory: { usedBytes: number; maxBytes: number },
  rules: AlertRulesSpec,
): AlertCondition[] {
  if (memory.maxBytes <= 0) return [];
  const percent = Math.round((memory.usedBytes / memory.maxBytes) * 100);
  if (percent < rules.redisMemory.percent) return [];
  return [
    condition(
      'redisMemory',
      'redis',
      `Redis uses ${percent} % of its memory limit (${Math.round(memory.usedBytes / MIB)} of ${Math.round(memory.maxBytes / MIB)} MiB). Clean finished jobs or raise redis.memoryMb.`,
      {
        percent,
        usedMb: Math.round(memory.usedBytes / MIB),
        maxMb: Math.round(memory.maxBytes / MIB),
      },
    ),
  ];
}

function diskLow(
  disk: { what: string; freeBytes: number },
  rules: AlertRulesSpec,
): AlertCondition[] {
  const freeMb = Math.floor(disk.freeBytes / MIB);
  if (freeMb >= rules.diskLow.freeMb) return [];
  return [
    condition(
      'diskLow',
      'disk',
      `Only ${freeMb} MiB free on ${disk.what} (alert under ${rules.diskLow.freeMb} MiB). Free space: docker system prune.`,
      { freeMb, limitMb: rules.diskLow.freeMb },
    ),
  ];
}
