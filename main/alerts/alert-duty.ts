/**
 * The supervisor's alert duty: on each tick it reads the facts (alert-facts.ts), asks the rules
 * (alert-rules.ts) what holds, lets the tracker say what is new and what cleared
 * (alert-tracker.ts), writes the journal every face reads, records each raise and resolve as a
 * supervisor decision, and sends each to the webhooks that get its rule — once per raise and
 * once per resolve, retried with backoff in the background so a slow receiver never holds the
 * tick. Messages to one webhook keep their order ("resolved" never overtakes its "raised").
 *
 *   const duty = new AlertDuty();
 *   supervisor.add(duty); // or, in a test: await duty.tick(context); await duty.idle();
 */
import type { Core } from '../core';
import { CurrentQueues } from '../queues/current-queues';
import type { DutyContext, SupervisorDuty } from '../supervisor/duty';
import type { AlertRecord, AlertRuleId } from './alert-record';
import { BuildFailureReader, readAlertFacts } from './alert-facts';
import { AlertJournal } from './alert-journal';
import { AlertRules } from './alert-rules';
import { AlertTracker } from './alert-tracker';
import { DEFAULT_DELIVERY_POLICY, type DeliveryPolicy } from './webhook-delivery';
import { sendToWebhook, webhooksFor } from './webhooks';

export interface AlertDutyOptions {
  /** Retries and their backoff (default DEFAULT_DELIVERY_POLICY). */
  delivery?: Partial<DeliveryPolicy>;
}

/** The journal of a core's settings folder. */
export function alertJournalFor(core: Pick<Core, 'settings'>): AlertJournal {
  return new AlertJournal(core.settings.paths.root);
}

const ruleOf = (id: string) => id.slice(0, id.indexOf(':')) as AlertRuleId;

export class AlertDuty implements SupervisorDuty {
  readonly name = 'alerts';
  /** Runs while the engine is down, on the last status: that is when "engine unreachable" fires. */
  readonly whenEngineDown = true;
  private readonly policy: DeliveryPolicy;
  private readonly rules = new AlertRules();
  private tracker: AlertTracker | null = null;
  private queues: CurrentQueues | null = null;
  private builds: BuildFailureReader | null = null;
  /** Per webhook, the end of its chain of messages. */
  private readonly chains = new Map<string, Promise<void>>();
  /** Aborts deliveries in flight when supervising stops; a new one for the next lease. */
  private stopping = new AbortController();

  constructor(options: AlertDutyOptions = {}) {
    this.policy = { ...DEFAULT_DELIVERY_POLICY, ...options.delivery };
  }

  async tick(context: DutyContext): Promise<void> {
    const { core, now } = context;
    const { spec } = await core.cluster.spec();
    const journal = alertJournalFor(core);
    if (!this.tracker) {
      // A supervisor taking over goes on from the journal: what is active is not raised again.
      const saved = await journal.read();
      this.tracker = new AlertTracker(saved.active, saved.recent);
    }
    this.queues ??= new CurrentQueues(core);
    this.builds ??= new BuildFailureReader(core.settings.paths.root);
    const queues = this.queues;
    const facts = await readAlertFacts(
      { core, queues: () => queues.get(), builds: this.builds },
      context.status,
      now,
    );
    const result = this.rules.evaluate(facts, spec.alerts.rules);
    const tracker = this.tracker;
    const { raised, resolved } = tracker.update(result.conditions, now, (id) =>
      result.judged(ruleOf(id)),
    );
    await journal.update((state) => ({
      ...state,
      active: tracker.active(),
      recent: tracker.recent(),
      evaluatedAt: now,
    }));
    for (const alert of raised) this.recordDecision(context, 'alert-raised', alert);
    for (const alert of resolved) this.recordDecision(context, 'alert-resolved', alert);
    const messages = [
      ...raised.map((alert) => ({ event: 'raised' as const, alert })),
      // A muted rule's alerts resolve quietly.
      ...resolved
        .filter((alert) => !spec.alerts.rules[alert.rule].muted)
        .map((alert) => ({ event: 'resolved' as const, alert })),
    ];
    for (const message of messages) {
      for (const hook of webhooksFor(spec.alerts.webhooks, message.alert.rule)) {
        this.enqueue(hook.name, () =>
          sendToWebhook(
            hook,
            { ...message, cluster: spec.name },
            {
              secrets: core.secrets,
              journal,
              policy: this.policy,
              signal: this.stopping.signal,
            },
          ).then(() => undefined),
        );
      }
    }
  }

  /** Resolves when every message handed to a webhook so far has been delivered or given up. */
  async idle(): Promise<void> {
    for (;;) {
      const chains = [...this.chains.values()];
      await Promise.all(chains);
      if ([...this.chains.values()].every((chain, i) => chain === chains[i])) return;
    }
  }

  async stop(): Promise<void> {
    this.stopping.abort();
    await this.idle();
    await this.queues?.close();
    this.queues = null;
    // The supervisor may take the lease again and tick this duty anew.
    this.stopping = new AbortController();
  }

  private enqueue(webhook: string, send: () => Promise<void>): void {
    const previous = this.chains.get(webhook) ?? Promise.resolve();
    const next = previous.then(send).catch(() => undefined);
    this.chains.set(webhook, next);
  }

  private recordDecision(context: DutyContext, action: string, alert: AlertRecord): void {
    context.record({
      kind: 'decision',
      pool: null,
      target: alert.subject,
      action,
      reason: alert.message,
      detail: { rule: alert.rule, ...alert.detail },
    });
  }
}
